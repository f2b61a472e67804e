import { checkInteger, checkOneOf, Issue } from "../validation";
import { addressAt, validatePool } from "./address-pool";
import { checkObjectName } from "./names";
import { POWER_STATES, VmInputs } from "./vm-model";

/** vSphere's limits (configuration maximums of vSphere 7/8). */
export const MAX_CPUS = 768;
export const MIN_MEMORY_MIB = 4;
export const MAX_MEMORY_MIB = 24 * 1024 * 1024;
export const MAX_DISK_GIB = 62 * 1024;

/** Every rule the VM's inputs break that needs no vCenter to tell; empty when usable. */
export function validateVm(vm: VmInputs): Issue[] {
    const issues: Issue[] = [];
    // VM names as vSphere takes them: at most 80 characters, no '/' (an inventory separator).
    issues.push(...checkObjectName("name", vm.name));
    if ((vm.template === undefined) === (vm.libraryItem === undefined)) {
        issues.push({
            field: vm.template === undefined ? "template" : "libraryItem",
            message: "exactly one of template and libraryItem must be set",
        });
    }
    if (vm.libraryItem !== undefined && !/^\/[^/]+\/[^/]+$/.test(vm.libraryItem)) {
        issues.push({
            field: "libraryItem",
            message: `must be /<library>/<item>; got ${JSON.stringify(vm.libraryItem)}`,
        });
    }
    for (const field of ["folder", "resourcePool", "datastore", "network"] as const) {
        if (typeof vm[field] !== "string" || vm[field] === "") {
            issues.push({ field, message: "must be set (here or in the connection)" });
        }
    }
    issues.push(...checkInteger("cpus", vm.cpus, 1, MAX_CPUS));
    issues.push(...checkMemory(vm.memoryMiB));
    if (vm.diskGiB !== undefined) {
        issues.push(...checkInteger("diskGiB", vm.diskGiB, 1, MAX_DISK_GIB));
    }
    issues.push(...checkOneOf("powerState", vm.powerState, POWER_STATES));
    if (vm.expiresAt !== undefined && Number.isNaN(Date.parse(vm.expiresAt))) {
        issues.push({
            field: "expiresAt",
            message: `must be a date and time (RFC 3339); got ${JSON.stringify(vm.expiresAt)}`,
        });
    }
    for (const [key, value] of Object.entries(vm.labels ?? {})) {
        if (typeof value !== "string" || /[\n=]/.test(key) || value.includes("\n")) {
            issues.push({
                field: `labels.${key}`,
                message: "must be a one-line string under a key without '='",
            });
        }
    }
    issues.push(...checkInteger("addressTimeoutSeconds", vm.addressTimeoutSeconds, 1, 3600));
    issues.push(...checkAddress(vm));
    return issues;
}

/** vSphere takes memory in MiB, a multiple of 4, from 4 MiB to 24 TiB. */
export function checkMemory(memoryMiB: unknown): Issue[] {
    const range = checkInteger("memoryMiB", memoryMiB, MIN_MEMORY_MIB, MAX_MEMORY_MIB);
    if (range.length > 0) {
        return range;
    }
    if ((memoryMiB as number) % 4 !== 0) {
        return [
            { field: "memoryMiB", message: `must be a multiple of 4; got ${memoryMiB as number}` },
        ];
    }
    return [];
}

function checkAddress(vm: VmInputs): Issue[] {
    const index = checkInteger("addressIndex", vm.addressIndex, 0, 2 ** 24);
    if (vm.addressPool === undefined || index.length > 0) {
        return index;
    }
    const pool = validatePool("addressPool", vm.addressPool);
    if (pool.length > 0) {
        return pool;
    }
    if (addressAt(vm.addressPool, vm.addressIndex) === undefined) {
        return [
            {
                field: "addressPool",
                message: `is too small: it has no address at index ${vm.addressIndex} (addressIndex)`,
            },
        ];
    }
    return [];
}
