import { changedKeys } from "../dynamic";
import { renderAnnotation } from "./annotation";
import { VmInputs, VmOutputs } from "./vm-model";

/**
 * Changes that need a new VM: where it comes from and lives, and what its guest configured at
 * first boot from guestinfo (cloud-init reads it once).
 */
export const REPLACING: readonly (keyof VmInputs)[] = [
    "name",
    "template",
    "libraryItem",
    "folder",
    "resourcePool",
    "datastore",
    "userData",
    "metadata",
    "addressPool",
    "addressIndex",
];

/**
 * Changes made in place: power, annotation, network, a growing disk, and CPUs and memory
 * (applied while powered off, as vSphere requires without hot-add).
 */
export const IN_PLACE: readonly (keyof VmInputs)[] = [
    "powerState",
    "labels",
    "expiresAt",
    "cpus",
    "memoryMiB",
    "network",
    "diskGiB",
    "addressTimeoutSeconds",
    "inputSources",
    "password",
];

export interface VmDiff {
    changes: boolean;
    replaces: string[];
    /** Every changed property, replacing or not. */
    changed: string[];
    deleteBeforeReplace: boolean;
}

/** Tells in-place changes from replacements between the stored VM and new inputs. */
export function classifyVmDiff(olds: VmOutputs, news: VmInputs): VmDiff {
    const replaces: string[] = changedKeys<VmInputs>(olds, news, REPLACING).map(String);
    const inPlace: string[] = changedKeys<VmInputs>(olds, news, IN_PLACE).map(String);
    if (olds.annotation !== renderAnnotation(news.labels, news.expiresAt)) {
        inPlace.push("labels"); // edited by hand, or new labels
    }
    if ((news.diskGiB ?? 0) < (olds.diskGiB ?? 0)) {
        replaces.push("diskGiB"); // vSphere never shrinks a disk
    }
    const server = olds.session.server !== news.session.server;
    const datacenter = olds.session.datacenter !== news.session.datacenter;
    if (server || datacenter) {
        replaces.push("session");
    } else if (JSON.stringify(olds.session) !== JSON.stringify(news.session)) {
        inPlace.push("session");
    }
    const changed = [...new Set([...replaces, ...inPlace])];
    return {
        changes: changed.length > 0,
        replaces: [...new Set(replaces)],
        changed,
        // The new VM takes the old one's name in the same folder.
        deleteBeforeReplace: replaces.length > 0,
    };
}
