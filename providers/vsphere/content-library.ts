import * as pulumi from "@pulumi/pulumi";
import { govc } from "../govc/runner";
import { VCenterConnection } from "./connection";
import { exists } from "./inventory-check";
import { ObjectProps, objectProvider } from "./inventory-object";
import { checkObjectName } from "./names";
import { sessionInputs, SESSION_SECRETS } from "./session";

export interface ContentLibraryArgs {
    connection: VCenterConnection;
    /** The library's name. */
    name: pulumi.Input<string>;
    /** Datastore backing the library. Defaults to the connection's. */
    datastore?: pulumi.Input<string>;
    /** Configuration keys inputs come from, named in check failures (`{ name: "supervisorContentLibrary" }`). */
    inputSources?: Record<string, string>;
}

interface LibraryInputs extends ObjectProps {
    name: string;
    datastore: string;
}

export const libraryProvider = objectProvider<LibraryInputs>({
    identity: ["name", "datastore"],
    validate: (inputs) => checkObjectName("name", inputs.name),
    references: () => [{ field: "datastore", kind: "datastore" }],
    async create(target, inputs) {
        const id = await govc(target, [
            "library.create",
            "-ds",
            inputs.datastore,
            "--",
            inputs.name,
        ]);
        return { id: id.trim() };
    },
    exists: (target, props) => exists(target, "library", props.name),
    remove: async (target, props) => void (await govc(target, ["library.rm", "--", props.name])),
});

/** A local content library on a datastore; removing it removes its items. */
export class ContentLibrary extends pulumi.dynamic.Resource {
    public readonly name!: pulumi.Output<string>;
    public readonly datastore!: pulumi.Output<string>;

    constructor(name: string, args: ContentLibraryArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            libraryProvider,
            name,
            {
                ...sessionInputs(args.connection),
                name: args.name,
                datastore: args.datastore ?? args.connection.datastore,
                inputSources: args.inputSources ?? {},
            },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: SESSION_SECRETS }),
            "vsphere",
            "ContentLibrary",
        );
    }
}
