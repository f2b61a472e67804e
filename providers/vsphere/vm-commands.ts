/** govc argument lists for VM operations: pure, so tests check them without a vCenter. */
import { PowerState, VmInputs } from "./vm-model";

/** Where a new VM goes. */
function placement(vm: VmInputs): string[] {
    return ["-folder", vm.folder, "-pool", vm.resourcePool, "-ds", vm.datastore];
}

/** Creates the VM, powered off, from its template or library item. */
export function createCommand(vm: VmInputs, annotation: string): string[] {
    if (vm.template !== undefined) {
        return [
            "vm.clone",
            "-vm",
            vm.template,
            ...placement(vm),
            "-net",
            vm.network,
            "-on=false",
            "-c",
            String(vm.cpus),
            "-m",
            String(vm.memoryMiB),
            "-annotation",
            annotation,
            "--",
            vm.name,
        ];
    }
    return ["library.deploy", ...placement(vm), "--", vm.libraryItem!, vm.name];
}

/** Sets CPUs, memory and annotation; vSphere takes CPUs and memory only while powered off. */
export function hardwareCommand(
    path: string,
    cpus: number,
    memoryMiB: number,
    annotation: string,
): string[] {
    return [
        "vm.change",
        "-vm",
        path,
        "-c",
        String(cpus),
        "-m",
        String(memoryMiB),
        "-annotation",
        annotation,
    ];
}

export function annotationCommand(path: string, annotation: string): string[] {
    return ["vm.change", "-vm", path, "-annotation", annotation];
}

/** Puts the first NIC on `network`. */
export function networkCommand(path: string, network: string): string[] {
    return ["vm.network.change", "-vm", path, "-net", network, "--", "ethernet-0"];
}

/** Grows the VM's disk (templates have one) to `gib`. */
export function diskCommand(path: string, gib: number): string[] {
    return ["vm.disk.change", "-vm", path, "-size", `${gib}G`];
}

/**
 * Sets guestinfo variables from files (`key` → absolute path), so that user data, which may
 * carry secrets, never appears on a command line.
 */
export function guestInfoCommand(path: string, files: { key: string; file: string }[]): string[] {
    return [
        "vm.change",
        "-vm",
        path,
        ...files.flatMap(({ key, file }) => [
            "-f",
            `${key}=${file}`,
            "-e",
            `${key}.encoding=base64`,
        ]),
    ];
}

/** What the simulator reports as the guest's address (vcsim's `SET.` extraConfig). */
export function simulatedAddressCommand(path: string, address: string): string[] {
    return ["vm.change", "-vm", path, "-e", `SET.guest.ipAddress=${address}`];
}

/** Powers the VM on or off (hard off: CI VMs hold nothing to shut down cleanly). */
export function powerCommand(path: string, state: PowerState): string[] {
    return ["vm.power", state === "on" ? "-on" : "-off", "-force", "--", path];
}

export function destroyCommand(path: string): string[] {
    return ["vm.destroy", "--", path];
}
