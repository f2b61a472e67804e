import { GovcTarget, govc, govcJson } from "../govc/runner";
import { PowerState } from "./vm-model";

/** A VM as vSphere reports it. */
export interface VmState {
    /** Absolute inventory path. */
    path: string;
    uuid: string;
    powerState: PowerState;
    cpus: number;
    memoryMiB: number;
    annotation: string;
    /** The guest's IPv4 address, or "" when it reports none. */
    address: string;
}

interface VmInfo {
    self: { type: string; value: string };
    config: {
        instanceUuid: string;
        annotation?: string;
        hardware: { numCPU: number; memoryMB: number };
    };
    runtime: { powerState: string };
    guest?: { ipAddress?: string; net?: { ipAddress?: string[] }[] };
}

/** The VM at `path` (a path govc's finder resolves), or undefined when there is none. */
export async function readVm(target: GovcTarget, path: string): Promise<VmState | undefined> {
    const info = await govcJson<{ virtualMachines: VmInfo[] | null }>(target, [
        "vm.info",
        "--",
        path,
    ]);
    const vm = info.virtualMachines?.[0];
    if (vm === undefined) {
        return undefined;
    }
    const ref = `${vm.self.type}:${vm.self.value}`;
    const absolute = (await govc(target, ["ls", "-L", "--", ref])).trim();
    return {
        path: absolute,
        uuid: vm.config.instanceUuid,
        // A suspended VM runs no guest: for this provider it is off.
        powerState: vm.runtime.powerState === "poweredOn" ? "on" : "off",
        cpus: vm.config.hardware.numCPU,
        memoryMiB: vm.config.hardware.memoryMB,
        annotation: vm.config.annotation ?? "",
        address: vm.runtime.powerState === "poweredOn" ? guestIpv4(vm) : "",
    };
}

/** The first routable IPv4 address the guest reports (not link-local or loopback). */
function guestIpv4(vm: VmInfo): string {
    const candidates = [
        vm.guest?.ipAddress ?? "",
        ...(vm.guest?.net ?? []).flatMap((nic) => nic.ipAddress ?? []),
    ];
    return (
        candidates.find((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a) && !/^(169\.254|127)\./.test(a)) ?? ""
    );
}
