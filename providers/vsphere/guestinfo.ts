import { AddressPool, addressAt } from "./address-pool";

/** One guestinfo variable, base64-encoded as CAPV sets cloud-init's (`<key>.encoding=base64`). */
export interface GuestInfoEntry {
    key: string;
    base64: string;
}

interface StaticAddress {
    pool: AddressPool;
    index: number;
}

/**
 * cloud-init metadata for a VM (JSON, which is YAML): its instance id and host name, and a
 * network configuration (version 2) for every NIC: DHCP, or the pool's address with its gateway.
 */
export function renderMetadata(name: string, address?: StaticAddress): string {
    const nic: Record<string, unknown> = { match: { name: "e*" } };
    if (address) {
        nic.addresses = [`${addressAt(address.pool, address.index)}/${address.pool.prefix}`];
        nic.routes = [{ to: "0.0.0.0/0", via: address.pool.gateway }];
        if (address.pool.nameservers?.length) {
            nic.nameservers = { addresses: address.pool.nameservers };
        }
    } else {
        nic.dhcp4 = true;
    }
    return JSON.stringify({
        "instance-id": name,
        "local-hostname": name,
        network: { version: 2, ethernets: { nics: nic } },
    });
}

/** The guestinfo entries a VM is created with: metadata always, user data when given. */
export function guestInfoEntries(metadata: string, userData?: string): GuestInfoEntry[] {
    const entry = (key: string, value: string) => ({
        key,
        base64: Buffer.from(value, "utf8").toString("base64"),
    });
    return [
        entry("guestinfo.metadata", metadata),
        ...(userData === undefined ? [] : [entry("guestinfo.userdata", userData)]),
    ];
}
