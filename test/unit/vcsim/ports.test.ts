import * as fc from "fast-check";
import { pickPort, preferredPort } from "../../../providers/ports/range";
import { ENDPOINT_PORTS, parsePortRange } from "../../../providers/vcsim/ports";

describe("preferredPort", () => {
    it("is stable for a cluster name and inside the range", () => {
        const range = { min: 20000, max: 20009 };
        expect(preferredPort("cluster1", range)).toBe(preferredPort("cluster1", range));
        fc.assert(
            fc.property(fc.string(), (name) => {
                const port = preferredPort(name, range);
                return port >= range.min && port <= range.max;
            }),
        );
    });

    it("spreads different cluster names over the range", () => {
        const ports = new Set(
            Array.from({ length: 50 }, (_, i) => preferredPort(`c${i}`, ENDPOINT_PORTS)),
        );
        expect(ports.size).toBeGreaterThan(45);
    });
});

describe("pickPort", () => {
    it("takes the preferred port when it is free", () => {
        const range = { min: 20000, max: 20100 };
        expect(pickPort("a", range, () => false)).toBe(preferredPort("a", range));
    });

    it("skips taken ports, wrapping around the end of the range", () => {
        const range = { min: 20000, max: 20002 };
        const first = preferredPort("a", range);
        const taken = new Set([first, first === 20002 ? 20000 : first + 1]);
        const port = pickPort("a", range, (p) => taken.has(p));
        expect(taken.has(port)).toBe(false);
    });

    it("throws once every port is taken", () => {
        expect(() => pickPort("a", { min: 20000, max: 20003 }, () => true)).toThrow(
            /every port in 20000-20003/,
        );
    });

    it("never returns a taken port or one outside the range", () => {
        fc.assert(
            fc.property(
                fc.integer({ min: 20000, max: 24000 }),
                fc.integer({ min: 0, max: 40 }),
                fc.string(),
                fc.func(fc.boolean()),
                (min, width, name, taken) => {
                    const range = { min, max: Math.min(min + width, 24000) };
                    const isTaken = (p: number) => taken(p);
                    try {
                        const port = pickPort(name, range, isTaken);
                        return port >= range.min && port <= range.max && !isTaken(port);
                    } catch {
                        for (let p = range.min; p <= range.max; p++) if (!isTaken(p)) return false;
                        return true;
                    }
                },
            ),
        );
    });
});

describe("parsePortRange", () => {
    it("accepts ranges within 20000-24000", () => {
        expect(parsePortRange("k", "20000-24000")).toEqual({
            range: { min: 20000, max: 24000 },
            issues: [],
        });
        expect(parsePortRange("k", "21000-21000").range).toEqual({ min: 21000, max: 21000 });
    });

    it.each(["19999-20010", "20000-24001", "22000-21000", "20000", "a-b", ""])(
        "refuses %j",
        (value) => {
            const { range, issues } = parsePortRange("controlPlaneEndpointPorts", value);
            expect(range).toBeUndefined();
            expect(issues[0].field).toBe("controlPlaneEndpointPorts");
        },
    );
});
