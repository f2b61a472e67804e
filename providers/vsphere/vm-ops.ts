/** The VM's lifecycle in vSphere, through govc. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { isGovcError, GovcTarget, govc } from "../govc/runner";
import { addressAt, simulatedDhcpAddress } from "./address-pool";
import { renderAnnotation } from "./annotation";
import { guestInfoEntries, renderMetadata } from "./guestinfo";
import { targetOf } from "./session";
import {
    annotationCommand,
    createCommand,
    destroyCommand,
    diskCommand,
    guestInfoCommand,
    hardwareCommand,
    networkCommand,
    powerCommand,
    simulatedAddressCommand,
} from "./vm-commands";
import { PowerState, VmInputs, VmOutputs } from "./vm-model";
import { readVm, VmState } from "./vm-state";

/** Creates the VM as `vm` says; a VM left half made by a failure is destroyed. */
export async function createVm(vm: VmInputs): Promise<VmOutputs> {
    const target = targetOf(vm);
    const annotation = renderAnnotation(vm.labels, vm.expiresAt);
    await govc(target, createCommand(vm, annotation));
    const created = await mustRead(target, `${vm.folder}/${vm.name}`);
    try {
        if (vm.libraryItem !== undefined) {
            await govc(target, hardwareCommand(created.path, vm.cpus, vm.memoryMiB, annotation));
            await govc(target, networkCommand(created.path, vm.network));
        }
        if (vm.diskGiB !== undefined) {
            await govc(target, diskCommand(created.path, vm.diskGiB));
        }
        await setGuestInfo(target, created.path, vm);
        return await settle(vm, created);
    } catch (err) {
        await deleteVm(target, created.path);
        throw err;
    }
}

/** Brings the VM from `olds` to `news` in place (diff has ruled out replacement). */
export async function updateVm(olds: VmOutputs, news: VmInputs): Promise<VmOutputs> {
    const target = targetOf(news);
    let state = await mustRead(target, olds.path);
    if (news.network !== olds.network) {
        await govc(target, networkCommand(state.path, news.network));
    }
    if (news.diskGiB !== undefined && news.diskGiB !== olds.diskGiB) {
        await govc(target, diskCommand(state.path, news.diskGiB));
    }
    const annotation = renderAnnotation(news.labels, news.expiresAt);
    if (state.cpus !== news.cpus || state.memoryMiB !== news.memoryMiB) {
        if (state.powerState === "on") {
            await power(target, state.path, "off");
        }
        await govc(target, hardwareCommand(state.path, news.cpus, news.memoryMiB, annotation));
    } else if (state.annotation !== annotation) {
        await govc(target, annotationCommand(state.path, annotation));
    }
    state = await mustRead(target, state.path);
    return settle(news, state);
}

/** Powers the VM off and destroys it; a VM already gone is fine. */
export async function deleteVm(target: GovcTarget, vmPath: string): Promise<void> {
    try {
        const state = await readVm(target, vmPath);
        if (state === undefined) {
            return;
        }
        if (state.powerState === "on") {
            await power(target, state.path, "off");
        }
        await govc(target, destroyCommand(state.path));
    } catch (err) {
        if (!(isGovcError(err) && /not found/i.test(err.stderr))) {
            throw err;
        }
    }
}

/** The VM's outputs, as `vm` asks and vSphere reports. */
export function outputsOf(vm: VmInputs, state: VmState): VmOutputs {
    return {
        ...vm,
        path: state.path,
        uuid: state.uuid,
        powerState: state.powerState,
        cpus: state.cpus,
        memoryMiB: state.memoryMiB,
        annotation: state.annotation,
        address: state.address,
    };
}

/** Puts the VM in its power state and, once on, waits for its address. */
async function settle(vm: VmInputs, state: VmState): Promise<VmOutputs> {
    const target = targetOf(vm);
    if (state.powerState !== vm.powerState) {
        await power(target, state.path, vm.powerState);
    }
    if (vm.powerState === "on") {
        if (vm.session.simulatedGuestAddresses) {
            await govc(target, simulatedAddressCommand(state.path, expectedAddress(vm, state)));
        }
        return outputsOf(vm, await waitForAddress(target, state.path, vm.addressTimeoutSeconds));
    }
    return outputsOf(vm, await mustRead(target, state.path));
}

/** The address the guest will report: its static one, else its (simulated) DHCP lease. */
function expectedAddress(vm: VmInputs, state: VmState): string {
    if (vm.addressPool !== undefined) {
        return addressAt(vm.addressPool, vm.addressIndex)!;
    }
    return simulatedDhcpAddress(state.uuid);
}

async function waitForAddress(
    target: GovcTarget,
    vmPath: string,
    timeoutSeconds: number,
): Promise<VmState> {
    const deadline = Date.now() + timeoutSeconds * 1000;
    for (;;) {
        const state = await mustRead(target, vmPath);
        if (state.address !== "") {
            return state;
        }
        if (Date.now() > deadline) {
            throw new Error(
                `VM ${vmPath} reported no IPv4 address within ${timeoutSeconds}s (addressTimeoutSeconds)`,
            );
        }
        await new Promise((r) => setTimeout(r, 2000));
    }
}

async function power(target: GovcTarget, vmPath: string, state: PowerState): Promise<void> {
    await govc(target, powerCommand(vmPath, state));
}

async function mustRead(target: GovcTarget, vmPath: string): Promise<VmState> {
    const state = await readVm(target, vmPath);
    if (state === undefined) {
        throw new Error(`VM ${vmPath} does not exist`);
    }
    return state;
}

/** Sets cloud-init's guestinfo from 0600 files in a private folder, removed afterwards. */
async function setGuestInfo(target: GovcTarget, vmPath: string, vm: VmInputs): Promise<void> {
    const metadata =
        vm.metadata ??
        renderMetadata(vm.name, vm.addressPool && { pool: vm.addressPool, index: vm.addressIndex });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "k8s-ci-envs-guestinfo-"));
    try {
        const files = guestInfoEntries(metadata, vm.userData).map(({ key, base64 }) => {
            const file = path.join(dir, key);
            fs.writeFileSync(file, base64, { mode: 0o600 });
            return { key, file };
        });
        await govc(target, guestInfoCommand(vmPath, files));
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
