/** IPv4 CIDR arithmetic for validating and deriving the DevStack's addresses. */

export interface Cidr {
    /** The network address, as a 32-bit unsigned integer. */
    network: number;
    prefix: number;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The address as a 32-bit unsigned integer, or undefined when it is not dotted-quad IPv4. */
export function parseIp(text: string): number | undefined {
    const m = IPV4.exec(text);
    if (!m) {
        return undefined;
    }
    const octets = m.slice(1).map(Number);
    if (octets.some((o) => o > 255)) {
        return undefined;
    }
    return octets.reduce((acc, o) => acc * 256 + o, 0);
}

export function formatIp(address: number): string {
    return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}

/** Parses "A.B.C.D/N"; undefined unless the address is the network's own (no host bits set). */
export function parseCidr(text: string): Cidr | undefined {
    const [ip, prefixText, ...rest] = text.split("/");
    if (rest.length > 0 || prefixText === undefined || !/^\d{1,2}$/.test(prefixText)) {
        return undefined;
    }
    const prefix = Number(prefixText);
    const address = parseIp(ip);
    if (address === undefined || prefix > 32) {
        return undefined;
    }
    if (address % size({ network: 0, prefix }) !== 0) {
        return undefined;
    }
    return { network: address, prefix };
}

/** Number of addresses in the block. */
export function size(cidr: Cidr): number {
    return 2 ** (32 - cidr.prefix);
}

export function contains(cidr: Cidr, address: number): boolean {
    return address >= cidr.network && address < cidr.network + size(cidr);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
    return contains(a, b.network) || contains(b, a.network);
}

/** The n-th address of the block (n = 15 gives 10.0.3.15 in 10.0.3.0/24). */
export function nthAddress(cidr: Cidr, n: number): string {
    if (n < 0 || n >= size(cidr)) {
        throw new Error(`address ${n} is outside a /${cidr.prefix}`);
    }
    return formatIp(cidr.network + n);
}

/**
 * Whether the address can be a machine's in the block on GCP: not the network or broadcast
 * address, nor the gateway (.1) or the second-to-last address, which GCP reserves.
 */
export function isUsableHost(cidr: Cidr, address: number): boolean {
    const offset = address - cidr.network;
    return contains(cidr, address) && offset >= 2 && offset <= size(cidr) - 3;
}
