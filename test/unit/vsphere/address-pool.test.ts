import fc from "fast-check";
import {
    addressAt,
    allocateAddresses,
    checkPoolCapacity,
    ipv4ToNumber,
    numberToIpv4,
    poolSize,
    simulatedDhcpAddress,
    validatePool,
} from "../../../providers/vsphere/address-pool";

const BOSKOS = { addresses: ["192.168.35.0-192.168.35.15"], gateway: "192.168.32.1", prefix: 21 };

describe("address pools", () => {
    it("reads a Boskos project's pool: 16 addresses in order", () => {
        expect(validatePool("vsphereIpPool", BOSKOS)).toEqual([]);
        expect(poolSize(BOSKOS)).toBe(16);
        expect(addressAt(BOSKOS, 0)).toBe("192.168.35.0");
        expect(addressAt(BOSKOS, 15)).toBe("192.168.35.15");
        expect(addressAt(BOSKOS, 16)).toBeUndefined();
    });

    it("takes addresses, ranges and CIDR blocks, in the order listed", () => {
        const pool = { ...BOSKOS, addresses: ["10.0.0.9", "10.0.1.0/30", "10.0.2.1-10.0.2.2"] };
        expect(poolSize(pool)).toBe(7);
        expect([0, 1, 4, 5, 6].map((i) => addressAt(pool, i))).toEqual([
            "10.0.0.9",
            "10.0.1.0",
            "10.0.1.3",
            "10.0.2.1",
            "10.0.2.2",
        ]);
    });

    it("names each malformed part", () => {
        const issues = validatePool("pool", {
            addresses: ["10.0.0.5-10.0.0.1", "300.1.1.1", "10.0.0.0/33"],
            gateway: "nope",
            prefix: 0,
            nameservers: ["1.1.1"],
        });
        expect(issues.map((i) => i.field)).toEqual([
            "pool.addresses[0]",
            "pool.addresses[1]",
            "pool.addresses[2]",
            "pool.gateway",
            "pool.prefix",
            "pool.nameservers[0]",
        ]);
        expect(validatePool("pool", { ...BOSKOS, addresses: [] })[0].message).toMatch(
            /at least one/,
        );
    });

    it("refuses a pool too small for the VMs asked for", () => {
        expect(checkPoolCapacity("vsphereIpPool", BOSKOS, 16)).toEqual([]);
        expect(checkPoolCapacity("vsphereIpPool", BOSKOS, 17)).toEqual([
            {
                field: "vsphereIpPool",
                message: "holds 16 addresses, too few for the 17 VMs asked for",
            },
        ]);
        const tiny = { ...BOSKOS, addresses: ["192.168.35.4"] };
        expect(() => allocateAddresses("vsphereIpPool", tiny, ["jump", "bootstrap"])).toThrow(
            "vsphereIpPool holds 1 address, too few for the 2 VMs asked for",
        );
    });

    it("allocates distinct addresses, one per VM in order", () => {
        fc.assert(
            fc.property(
                fc.uniqueArray(fc.stringMatching(/^[a-z]{1,8}$/), { minLength: 1, maxLength: 16 }),
                (names) => {
                    const indexes = allocateAddresses("pool", BOSKOS, names);
                    const addresses = names.map((n) => addressAt(BOSKOS, indexes[n]));
                    expect(new Set(addresses).size).toBe(names.length);
                    expect(addresses.every((a) => a !== undefined)).toBe(true);
                },
            ),
        );
    });

    it("round-trips addresses through numbers", () => {
        fc.assert(
            fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (n) => {
                expect(ipv4ToNumber(numberToIpv4(n))).toBe(n);
            }),
        );
    });

    it("leases a stable simulated DHCP address in 10.128.0.0/9, never .0 or .255", () => {
        fc.assert(
            fc.property(fc.uuid(), (uuid) => {
                const address = simulatedDhcpAddress(uuid);
                expect(simulatedDhcpAddress(uuid)).toBe(address);
                const n = ipv4ToNumber(address);
                expect(n >= ipv4ToNumber("10.128.0.0") && n <= ipv4ToNumber("10.255.255.255")).toBe(
                    true,
                );
                expect(address).not.toMatch(/\.(0|255)$/);
            }),
        );
    });
});
