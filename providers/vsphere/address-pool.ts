import { Issue } from "../validation";

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

/** An inclusive range of IPv4 addresses, as 32-bit numbers. */
interface Span {
    first: number;
    last: number;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIpv4(value: unknown): value is string {
    return typeof value === "string" && IPV4.test(value);
}

export function ipv4ToNumber(address: string): number {
    return address.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
}

export function numberToIpv4(n: number): string {
    return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

/** The span an entry of `addresses` stands for, or undefined if it is malformed. */
function parseEntry(entry: string): Span | undefined {
    const cidr = /^([\d.]+)\/(\d{1,2})$/.exec(entry);
    if (cidr) {
        const bits = Number(cidr[2]);
        if (!isIpv4(cidr[1]) || bits > 32) {
            return undefined;
        }
        const size = 2 ** (32 - bits);
        const first = ipv4ToNumber(cidr[1]) - (ipv4ToNumber(cidr[1]) % size);
        return { first, last: first + size - 1 };
    }
    const [from, to = from, ...rest] = entry.split("-");
    if (rest.length > 0 || !isIpv4(from) || !isIpv4(to)) {
        return undefined;
    }
    const span = { first: ipv4ToNumber(from), last: ipv4ToNumber(to) };
    return span.first <= span.last ? span : undefined;
}

/** Every rule the pool breaks, each naming `field` or one of its parts. */
export function validatePool(field: string, pool: AddressPool | undefined): Issue[] {
    if (pool === undefined) {
        return [];
    }
    const issues: Issue[] = [];
    if (!Array.isArray(pool.addresses) || pool.addresses.length === 0) {
        issues.push({ field: `${field}.addresses`, message: "must list at least one address" });
    } else {
        pool.addresses.forEach((entry, i) => {
            if (typeof entry !== "string" || parseEntry(entry) === undefined) {
                issues.push({
                    field: `${field}.addresses[${i}]`,
                    message: `must be an IPv4 address, a range first-last or a CIDR block; got ${JSON.stringify(entry)}`,
                });
            }
        });
    }
    if (!isIpv4(pool.gateway)) {
        issues.push({
            field: `${field}.gateway`,
            message: `must be an IPv4 address; got ${JSON.stringify(pool.gateway)}`,
        });
    }
    if (!Number.isInteger(pool.prefix) || pool.prefix < 1 || pool.prefix > 32) {
        issues.push({
            field: `${field}.prefix`,
            message: `must be an integer from 1 to 32; got ${JSON.stringify(pool.prefix)}`,
        });
    }
    (pool.nameservers ?? []).forEach((ns, i) => {
        if (!isIpv4(ns)) {
            issues.push({
                field: `${field}.nameservers[${i}]`,
                message: `must be an IPv4 address; got ${JSON.stringify(ns)}`,
            });
        }
    });
    return issues;
}

function spans(pool: AddressPool): Span[] {
    return pool.addresses.map((entry) => {
        const span = parseEntry(entry);
        if (span === undefined) {
            throw new Error(`malformed address pool entry ${JSON.stringify(entry)}`);
        }
        return span;
    });
}

/** How many addresses the pool holds (entries that overlap count twice). */
export function poolSize(pool: AddressPool): number {
    return spans(pool).reduce((n, s) => n + s.last - s.first + 1, 0);
}

/** The pool's `index`th address (0-based), in the order its entries list them. */
export function addressAt(pool: AddressPool, index: number): string | undefined {
    let rest = index;
    for (const span of spans(pool)) {
        const size = span.last - span.first + 1;
        if (rest < size) {
            return numberToIpv4(span.first + rest);
        }
        rest -= size;
    }
    return undefined;
}

/** Checks that the pool holds at least `count` addresses; `field` names the pool. */
export function checkPoolCapacity(field: string, pool: AddressPool, count: number): Issue[] {
    const size = poolSize(pool);
    if (size < count) {
        return [
            {
                field,
                message: `holds ${size} address${size === 1 ? "" : "es"}, too few for the ${count} VMs asked for`,
            },
        ];
    }
    return [];
}

/**
 * Gives each of `names` an address of the pool, in order, as one Boskos project's VMs share its
 * pool. Throws, naming `field`, when the pool is too small.
 */
export function allocateAddresses(
    field: string,
    pool: AddressPool,
    names: string[],
): Record<string, number> {
    const issues = [...validatePool(field, pool)];
    if (issues.length === 0) {
        issues.push(...checkPoolCapacity(field, pool, names.length));
    }
    if (issues.length > 0) {
        throw new Error(issues.map((i) => `${i.field} ${i.message}`).join("\n"));
    }
    if (new Set(names).size !== names.length) {
        throw new Error(`${field}: each VM must be named once`);
    }
    return Object.fromEntries(names.map((name, i) => [name, i]));
}

/**
 * The address a simulated DHCP server leases to a VM: stable for the VM (derived from its
 * instance UUID), within 10.128.0.0/9, never a network or broadcast address of a /24.
 */
export function simulatedDhcpAddress(uuid: string): string {
    const digits = uuid.replace(/[^0-9a-f]/gi, "").slice(-8) || "0";
    const n = parseInt(digits, 16);
    const host = (n % 254) + 1;
    const net = Math.floor(n / 254) % 2 ** 15;
    return numberToIpv4(ipv4ToNumber("10.128.0.0") + net * 256 + host);
}
