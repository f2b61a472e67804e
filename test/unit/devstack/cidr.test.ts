import * as fc from "fast-check";
import { arbitraryCidr } from "./fixtures";
import {
    contains,
    formatIp,
    isUsableHost,
    nthAddress,
    overlaps,
    parseCidr,
    parseIp,
} from "../../../components/devstack/cidr";

describe("IPv4 addresses", () => {
    it("parse and format back", () => {
        fc.assert(
            fc.property(
                fc.integer({ min: 0, max: 2 ** 32 - 1 }),
                (n) => parseIp(formatIp(n)) === n,
            ),
        );
    });

    it.each(["10.0.3", "10.0.3.256", "a.b.c.d", "10.0.3.1.2", ""])("refuse %j", (text) => {
        expect(parseIp(text)).toBeUndefined();
    });
});

describe("CIDR blocks", () => {
    it("parse only network addresses with a prefix", () => {
        expect(parseCidr("10.0.3.0/24")).toEqual({ network: parseIp("10.0.3.0"), prefix: 24 });
        for (const bad of [
            "10.0.3.1/24",
            "10.0.3.0",
            "10.0.3.0/33",
            "10.0.3.0/24/1",
            "10.0.3.0/x",
        ]) {
            expect([bad, parseCidr(bad)]).toEqual([bad, undefined]);
        }
    });

    it("hold their n-th address, and overlap themselves", () => {
        fc.assert(
            fc.property(arbitraryCidr, fc.nat(), (text, n) => {
                const cidr = parseCidr(text)!;
                const offset = n % 2 ** (32 - cidr.prefix);
                return contains(cidr, parseIp(nthAddress(cidr, offset))!) && overlaps(cidr, cidr);
            }),
        );
    });

    it("overlap symmetrically, exactly when one holds the other's network address", () => {
        fc.assert(
            fc.property(arbitraryCidr, arbitraryCidr, (a, b) => {
                const [x, y] = [parseCidr(a)!, parseCidr(b)!];
                const expected = contains(x, y.network) || contains(y, x.network);
                return overlaps(x, y) === expected && overlaps(y, x) === expected;
            }),
        );
        expect(overlaps(parseCidr("10.0.2.0/24")!, parseCidr("10.0.3.0/24")!)).toBe(false);
        expect(overlaps(parseCidr("10.0.0.0/16")!, parseCidr("10.0.3.0/24")!)).toBe(true);
    });

    it("give machines neither the network, gateway, second-to-last nor broadcast address", () => {
        const cidr = parseCidr("10.0.3.0/24")!;
        const usable = (ip: string) => isUsableHost(cidr, parseIp(ip)!);
        expect(
            ["10.0.3.0", "10.0.3.1", "10.0.3.254", "10.0.3.255", "10.0.4.15"].map(usable),
        ).toEqual([false, false, false, false, false]);
        expect(["10.0.3.2", "10.0.3.15", "10.0.3.253"].map(usable)).toEqual([true, true, true]);
    });
});
