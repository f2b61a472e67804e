import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { hasUnknowns, removeEmptyParents } from "../dynamic";
import { fileSha256, sha256, writePrivateFile } from "../files/atomic";
import { newAuthorizedKey } from "../credentials/sshkey";
import {
    ClusterSpec,
    clusterVariables,
    Endpoint,
    EnvVarMode,
    renderEnvFile,
    SimulatorAccess,
} from "./variables";

export interface EnvVarArgs {
    /** The file is written to this folder (the stack's). */
    stackDir: pulumi.Input<string>;
    /** Defaults to vcsim.env. */
    fileName?: pulumi.Input<string>;
    mode: pulumi.Input<EnvVarMode>;
    cluster: pulumi.Input<ClusterSpec>;
    endpoint: pulumi.Input<Endpoint>;
    simulator: pulumi.Input<SimulatorAccess>;
}

interface EnvVarInputs {
    stackDir: string;
    fileName: string;
    mode: EnvVarMode;
    cluster: ClusterSpec;
    endpoint: Endpoint;
    simulator: SimulatorAccess;
}

interface EnvVarOutputs extends EnvVarInputs {
    variables: Record<string, string>;
    path: string;
    sshAuthorizedKey: string;
    /** SHA-256 of the file as last written or read ("missing" when refresh found none). */
    fileSha256: string;
}

function envFilePath(inputs: EnvVarInputs): string {
    return path.join(inputs.stackDir, inputs.fileName);
}

function render(inputs: EnvVarInputs, sshAuthorizedKey: string) {
    const variables = clusterVariables(
        inputs.mode,
        inputs.cluster,
        inputs.endpoint,
        inputs.simulator,
        sshAuthorizedKey,
    );
    return { variables, content: renderEnvFile(variables) };
}

/** Renders the variables and writes the file (0600, atomically); returns the outputs. */
function writeEnvFile(inputs: EnvVarInputs, sshAuthorizedKey: string): EnvVarOutputs {
    const { variables, content } = render(inputs, sshAuthorizedKey);
    const file = envFilePath(inputs);
    writePrivateFile(file, content);
    return { ...inputs, variables, path: file, sshAuthorizedKey, fileSha256: sha256(content) };
}

/** Writes the variables cluster templates consume as an `export K="V"` file. */
const provider: pulumi.dynamic.ResourceProvider = {
    async diff(_id: string, olds: EnvVarOutputs, news: EnvVarInputs) {
        if (hasUnknowns(news)) {
            return { changes: true };
        }
        const moved = envFilePath(olds) !== envFilePath(news);
        const stale = sha256(render(news, olds.sshAuthorizedKey).content) !== olds.fileSha256;
        return {
            changes: moved || stale,
            replaces: moved ? ["stackDir", "fileName"] : [],
            deleteBeforeReplace: true,
        };
    },

    async create(inputs: EnvVarInputs) {
        // One key per EnvVar, as CAPV's vcsim controller keeps; only the public half is kept.
        const outs = writeEnvFile(inputs, newAuthorizedKey(`${inputs.cluster.name}@k8s-ci-envs`));
        return { id: outs.path, outs };
    },

    /** Records the file's actual hash, so that a deleted or edited file is rewritten by up. */
    async read(id: string, props: EnvVarOutputs) {
        return { id, props: { ...props, fileSha256: fileSha256(props.path) } };
    },

    async update(_id: string, olds: EnvVarOutputs, news: EnvVarInputs) {
        return { outs: writeEnvFile(news, olds.sshAuthorizedKey) };
    },

    async delete(_id: string, props: EnvVarOutputs) {
        fs.rmSync(props.path, { force: true });
        removeEmptyParents(props.path, props.stackDir);
    },
};

/**
 * CAPV's EnvVar: the variables for one workload cluster on a simulator (a secret output),
 * written as a 0600 `vcsim.env` to `source`.
 */
export class EnvVar extends pulumi.dynamic.Resource {
    public readonly variables!: pulumi.Output<Record<string, string>>;
    public readonly path!: pulumi.Output<string>;
    public readonly sshAuthorizedKey!: pulumi.Output<string>;

    constructor(name: string, args: EnvVarArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            provider,
            name,
            {
                ...args,
                fileName: args.fileName ?? "vcsim.env",
                variables: undefined,
                path: undefined,
                sshAuthorizedKey: undefined,
                fileSha256: undefined,
            },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["variables", "simulator"] }),
            "vcsim",
            "EnvVar",
        );
    }
}
