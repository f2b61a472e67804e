import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { govc } from "../govc/runner";
import { VCenterConnection } from "./connection";
import { exists } from "./inventory-check";
import { ObjectProps, objectProvider } from "./inventory-object";
import { checkAbsolutePath } from "./names";
import { sessionInputs, SESSION_SECRETS } from "./session";

export interface FolderArgs {
    connection: VCenterConnection;
    /** Absolute inventory path of the folder, e.g. `/SDDC-Datacenter/vm/prow/project-001`. */
    path: pulumi.Input<string>;
    /** Configuration keys inputs come from, named in check failures (`{ path: "vsphereFolder" }`). */
    inputSources?: Record<string, string>;
}

interface FolderInputs extends ObjectProps {
    path: string;
}

export const folderProvider = objectProvider<FolderInputs>({
    identity: ["path"],
    validate: (inputs) => checkAbsolutePath("path", inputs.path),
    references: () => [],
    async create(target, inputs) {
        await govc(target, ["folder.create", "--", inputs.path]);
        return { id: inputs.path };
    },
    exists: (target, props) => exists(target, "folder", props.path),
    /** Destroying a folder destroys what it holds: only an empty one goes. */
    async remove(target, props) {
        const held = (await govc(target, ["ls", "--", props.path])).trim();
        if (held !== "") {
            throw new Error(
                `folder ${props.path} still holds objects this stack did not make: ${held.split("\n").join(", ")}`,
            );
        }
        await govc(target, ["object.destroy", "--", props.path]);
    },
});

/** A VM folder (its parent must exist), removed only when empty. */
export class Folder extends pulumi.dynamic.Resource {
    public readonly path!: pulumi.Output<string>;
    /** The folder's name: the last element of its path. */
    public readonly name!: pulumi.Output<string>;

    constructor(name: string, args: FolderArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            folderProvider,
            name,
            {
                ...sessionInputs(args.connection),
                path: args.path,
                inputSources: args.inputSources ?? {},
                name: pulumi.output(args.path).apply((p) => path.posix.basename(p)),
            },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: SESSION_SECRETS }),
            "vsphere",
            "Folder",
        );
    }
}
