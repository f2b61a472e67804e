/**
 * A program of vSphere provider resources, shaped by the `spec` configuration the integration
 * test sets at each step: the test changes the spec and checks what up, refresh and destroy do.
 */
import * as pulumi from "@pulumi/pulumi";
import {
    ContentLibrary,
    Folder,
    LibraryItem,
    ResourcePool,
    VCenterConnection,
    VirtualMachine,
    VirtualMachineArgs,
} from "../../../providers/vsphere";

/** VM arguments as JSON; `libraryItem: "$item"` deploys the program's LibraryItem. */
type VmSpec = Omit<VirtualMachineArgs, "connection">;

export interface ProgramSpec {
    folder?: string;
    pool?: string;
    library?: { name: string; item: string; source: string };
    vms: Record<string, VmSpec>;
    /** Configuration keys the folder's, library's and item's inputs stand for, in check failures. */
    sources?: { folder?: Record<string, string>; item?: Record<string, string> };
}

const config = new pulumi.Config();
const connection: VCenterConnection = {
    ...config.requireObject<Omit<VCenterConnection, "password">>("connection"),
    password: config.requireSecret("password"),
};
const spec = config.requireObject<ProgramSpec>("spec");

const folder = spec.folder
    ? new Folder("folder", {
          connection,
          path: spec.folder,
          inputSources: spec.sources?.folder,
      })
    : undefined;
const pool = spec.pool ? new ResourcePool("pool", { connection, path: spec.pool }) : undefined;
let item: LibraryItem | undefined;
if (spec.library) {
    const library = new ContentLibrary("library", { connection, name: spec.library.name });
    item = new LibraryItem("item", {
        connection,
        library: library.name,
        name: spec.library.item,
        source: spec.library.source,
        inputSources: spec.sources?.item,
    });
}

const vms = Object.entries(spec.vms).map(([name, vm]) => {
    const made = new VirtualMachine(`vm-${name}`, {
        ...vm,
        connection,
        libraryItem: vm.libraryItem === "$item" ? item!.path : vm.libraryItem,
        folder: vm.folder === "$folder" ? folder!.path : vm.folder,
        resourcePool: vm.resourcePool === "$pool" ? pool!.path : vm.resourcePool,
    });
    return [name, made] as const;
});

export const machines = Object.fromEntries(
    vms.map(([name, vm]) => [
        name,
        {
            uuid: vm.uuid,
            path: vm.path,
            address: vm.address,
            powerState: vm.powerState,
            cpus: vm.cpus,
            memoryMiB: vm.memoryMiB,
            annotation: vm.annotation,
        },
    ]),
);
export const libraryItemPath = item?.path;
