import { AddressPool } from "./address-pool";
import { SessionProps } from "./session";

export type PowerState = "on" | "off";
export const POWER_STATES: readonly PowerState[] = ["on", "off"];

/** A VirtualMachine's inputs, as the provider receives them (defaults applied). */
export interface VmInputs extends SessionProps {
    name: string;
    template?: string;
    libraryItem?: string;
    folder: string;
    resourcePool: string;
    datastore: string;
    network: string;
    cpus: number;
    memoryMiB: number;
    diskGiB?: number;
    userData?: string;
    metadata?: string;
    powerState: PowerState;
    labels: Record<string, string>;
    expiresAt?: string;
    addressPool?: AddressPool;
    addressIndex: number;
    addressTimeoutSeconds: number;
    inputSources: Record<string, string>;
}

/** What the provider stores: the inputs, as read back where vSphere may change them by hand. */
export interface VmOutputs extends VmInputs {
    /** Absolute inventory path. */
    path: string;
    /** Instance UUID, the resource's id. */
    uuid: string;
    address: string;
    annotation: string;
}
