import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { govc } from "../govc/runner";
import { Issue } from "../validation";
import { VCenterConnection } from "./connection";
import { exists } from "./inventory-check";
import { ObjectProps, objectProvider } from "./inventory-object";
import { checkObjectName } from "./names";
import { sessionInputs, SESSION_SECRETS } from "./session";

export interface LibraryItemArgs {
    connection: VCenterConnection;
    /** The content library's name (a ContentLibrary's `name`). */
    library: pulumi.Input<string>;
    /** The item's name. */
    name: pulumi.Input<string>;
    /**
     * The OVF descriptor or OVA to import: a local file (an OVF's disks and manifest beside it)
     * or an http(s) URL, which the vCenter downloads (it must reach it).
     */
    source: pulumi.Input<string>;
    /** Configuration keys inputs come from, named in check failures (`{ name: "supervisorLibraryItems" }`). */
    inputSources?: Record<string, string>;
}

interface ItemInputs extends ObjectProps {
    library: string;
    name: string;
    source: string;
}

/** What an item is imported from: an .ovf or .ova, as an http(s) URL or an existing file. */
export function checkLibrarySource(field: string, source: unknown): Issue[] {
    const text = typeof source === "string" ? source : "";
    if (!/\.(ovf|ova)$/i.test(text.split("?")[0])) {
        return [{ field, message: `must name an .ovf or .ova; got ${JSON.stringify(source)}` }];
    }
    if (!/^https?:\/\//.test(text) && !fs.existsSync(text)) {
        return [{ field, message: `is neither an http(s) URL nor an existing file: ${text}` }];
    }
    return [];
}

const itemPath = (props: ItemInputs) => `/${props.library}/${props.name}`;

/** The vCenter itself pulls from a URL (govc's own download of an OVF misses its manifest). */
export function importCommand(inputs: { library: string; name: string; source: string }): string[] {
    const pull = /^https?:\/\//.test(inputs.source) ? ["-pull"] : [];
    return ["library.import", ...pull, "-n", inputs.name, "--", inputs.library, inputs.source];
}

export const libraryItemProvider = objectProvider<ItemInputs>({
    identity: ["library", "name", "source"],
    validate: (inputs) => [
        ...checkObjectName("library", inputs.library),
        ...checkObjectName("name", inputs.name),
        ...checkLibrarySource("source", inputs.source),
    ],
    references: () => [{ field: "library", kind: "library" }],
    async create(target, inputs) {
        try {
            await govc(target, importCommand(inputs));
        } catch (err) {
            // A failed import leaves an empty item behind.
            if (await exists(target, "libraryItem", itemPath(inputs))) {
                await govc(target, ["library.rm", "--", itemPath(inputs)]);
            }
            throw err;
        }
        return { id: itemPath(inputs), outs: { path: itemPath(inputs) } };
    },
    exists: (target, props) => exists(target, "libraryItem", itemPath(props)),
    remove: async (target, props) =>
        void (await govc(target, ["library.rm", "--", itemPath(props)])),
});

/** An OVF/OVA template in a content library, which a VirtualMachine's `libraryItem` deploys. */
export class LibraryItem extends pulumi.dynamic.Resource {
    /** `/<library>/<item>`, as VirtualMachineArgs.libraryItem takes it. */
    public readonly path!: pulumi.Output<string>;
    public readonly name!: pulumi.Output<string>;

    constructor(name: string, args: LibraryItemArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            libraryItemProvider,
            name,
            {
                ...sessionInputs(args.connection),
                library: args.library,
                name: args.name,
                source: args.source,
                inputSources: args.inputSources ?? {},
                path: undefined,
            },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: SESSION_SECRETS }),
            "vsphere",
            "LibraryItem",
        );
    }
}
