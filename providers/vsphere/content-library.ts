import * as pulumi from "@pulumi/pulumi";
import { govc } from "../govc/runner";
import { VCenterConnection } from "./connection";
import { exists } from "./inventory-check";
import { objectProvider } from "./inventory-object";
import { checkObjectName } from "./names";
import { SessionProps, sessionInputs, SESSION_SECRETS } from "./session";

export interface ContentLibraryArgs {
    connection: VCenterConnection;
    /** The library's name. */
    name: pulumi.Input<string>;
    /** Datastore backing the library. Defaults to the connection's. */
    datastore?: pulumi.Input<string>;
}

interface LibraryInputs extends SessionProps {
    name: string;
    datastore: string;
}

const provider = objectProvider<LibraryInputs>({
    identity: ["name", "datastore"],
    validate: (inputs) => checkObjectName("name", inputs.name),
    references: () => [{ field: "datastore", kind: "datastore" }],
    async create(target, inputs) {
        const id = await govc(target, ["library.create", "-ds", inputs.datastore, inputs.name]);
        return { id: id.trim() };
    },
    exists: (target, props) => exists(target, "library", props.name),
    remove: async (target, props) => void (await govc(target, ["library.rm", props.name])),
});

/** A local content library on a datastore; removing it removes its items. */
export class ContentLibrary extends pulumi.dynamic.Resource {
    public readonly name!: pulumi.Output<string>;
    public readonly datastore!: pulumi.Output<string>;

    constructor(name: string, args: ContentLibraryArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            provider,
            name,
            {
                ...sessionInputs(args.connection),
                name: args.name,
                datastore: args.datastore ?? args.connection.datastore,
            },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: SESSION_SECRETS }),
            "vsphere",
            "ContentLibrary",
        );
    }
}
