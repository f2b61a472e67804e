import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { hasUnknowns, removeEmptyParents } from "../dynamic";
import { fileSha256, sha256, writePrivateFile } from "./atomic";

export interface SecretFileArgs {
    /** Absolute path, inside the stack's folder. */
    path: pulumi.Input<string>;
    /** The content, a secret. */
    content: pulumi.Input<string>;
    /** The stack's folder: emptied parents up to it are removed with the file. */
    stackDir: pulumi.Input<string>;
}

interface SecretFileInputs {
    path: string;
    content: string;
    stackDir: string;
}

interface SecretFileOutputs extends SecretFileInputs {
    /** SHA-256 of the file as last written or read ("missing" when refresh found none). */
    sha256: string;
}

function write(inputs: SecretFileInputs): SecretFileOutputs {
    writePrivateFile(inputs.path, inputs.content);
    return { ...inputs, sha256: sha256(inputs.content) };
}

const provider: pulumi.dynamic.ResourceProvider = {
    async diff(_id: string, olds: SecretFileOutputs, news: SecretFileInputs) {
        if (hasUnknowns(news)) {
            return { changes: true };
        }
        const moved = olds.path !== news.path;
        return {
            changes: moved || sha256(news.content) !== olds.sha256,
            replaces: moved ? ["path"] : [],
            deleteBeforeReplace: true,
        };
    },
    async create(inputs: SecretFileInputs) {
        return { id: inputs.path, outs: write(inputs) };
    },
    /** Records the file's actual hash, so that a deleted or edited file is rewritten by up. */
    async read(id: string, props: SecretFileOutputs) {
        return { id, props: { ...props, sha256: fileSha256(props.path) } };
    },
    async update(_id: string, _olds: SecretFileOutputs, news: SecretFileInputs) {
        return { outs: write(news) };
    },
    async delete(_id: string, props: SecretFileOutputs) {
        fs.rmSync(props.path, { force: true });
        removeEmptyParents(props.path, props.stackDir);
    },
};

/** A file only its owner can read (0600) holding a secret, written atomically; destroy removes it. */
export class SecretFile extends pulumi.dynamic.Resource {
    public readonly path!: pulumi.Output<string>;

    constructor(name: string, args: SecretFileArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            provider,
            name,
            // The content is a secret wherever it came from, in inputs as in outputs.
            { ...args, content: pulumi.secret(args.content), sha256: undefined },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["content"] }),
            "files",
            "SecretFile",
        );
    }
}
