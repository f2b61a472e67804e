/**
 * Static IPv4 addresses, as a Boskos vSphere project's `ipPool` userdata hands them out:
 * `{"addresses":["192.168.35.0-192.168.35.15"],"gateway":"192.168.32.1","prefix":21}`.
 */
export interface AddressPool {
    /** Each an address, a range `first-last`, or a CIDR block (all its addresses). */
    addresses: string[];
    gateway: string;
    /** Prefix length of the network the addresses live in. */
    prefix: number;
    /** DNS servers the guests use. Defaults to none. */
    nameservers?: string[];
}
