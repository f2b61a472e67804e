import {
    isZoneStockout,
    nextZone,
    upWithZoneFallback,
} from "../../../components/devstack/zone-fallback";

const ZONES = ["us-east4-a", "us-east4-b", "us-east4-c"];
const STOCKOUT =
    "error: creating instance capo-e2e-controller: googleapi: Error 503: The zone 'projects/capo/zones/us-east4-a' does not have enough resources available to fulfill the request.  Try a different zone, or try again later., ZONE_RESOURCE_POOL_EXHAUSTED";

describe("isZoneStockout", () => {
    it("recognizes GCE's capacity errors and nothing else", () => {
        expect(isZoneStockout(STOCKOUT)).toBe(true);
        expect(
            isZoneStockout("Error 403: Quota 'CPUS' exceeded. Limit: 24.0 in region us-east4."),
        ).toBe(false);
        expect(isZoneStockout("Error 409: The resource 'capo-e2e-network' already exists")).toBe(
            false,
        );
    });
});

describe("upWithZoneFallback", () => {
    it("moves to the region's next zone on a stockout, in order", async () => {
        const tried: string[] = [];
        const moves: string[] = [];
        const { result, zone } = await upWithZoneFallback(
            ZONES,
            "us-east4-a",
            async (z) => {
                tried.push(z);
                if (z !== "us-east4-c") throw new Error(STOCKOUT);
                return "up";
            },
            (from, to) => moves.push(`${from}->${to}`),
        );
        expect([result, zone, tried]).toEqual(["up", "us-east4-c", ZONES]);
        expect(moves).toEqual(["us-east4-a->us-east4-b", "us-east4-b->us-east4-c"]);
    });

    it("throws any other error at once", async () => {
        const tried: string[] = [];
        await expect(
            upWithZoneFallback(ZONES, "us-east4-a", async (z) => {
                tried.push(z);
                throw new Error("Quota 'CPUS' exceeded");
            }),
        ).rejects.toThrow(/Quota/);
        expect(tried).toEqual(["us-east4-a"]);
    });

    it("throws the last stockout once no zone is left", async () => {
        await expect(
            upWithZoneFallback(ZONES, "us-east4-b", async () =>
                Promise.reject(new Error(STOCKOUT)),
            ),
        ).rejects.toThrow(/ZONE_RESOURCE_POOL_EXHAUSTED/);
        expect(nextZone(ZONES, "us-east4-c")).toBeUndefined();
    });
});
