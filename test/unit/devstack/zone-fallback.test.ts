import { Role, ROLES } from "../../../components/devstack/names";
import {
    isZoneStockout,
    nextZone,
    Placement,
    placementOf,
    stockedOutRoles,
    upWithZoneFallback,
} from "../../../components/devstack/zone-fallback";

const ZONES = ["us-east4-a", "us-east4-b", "us-east4-c"];
const STOCKOUT =
    "error: creating instance capo-e2e-controller: googleapi: Error 503: The zone 'projects/capo/zones/us-east4-a' does not have enough resources available to fulfill the request.  Try a different zone, or try again later., ZONE_RESOURCE_POOL_EXHAUSTED";
const urn = (name: string) =>
    `urn:pulumi:ci-pull-capo-e2e-7::k8s-ci-envs::k8sci:devstack:DevStack$gcp:compute/instance:Instance::${name}`;

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

describe("stockedOutRoles", () => {
    it("names the machine whose creation the engine reported as a stockout", () => {
        expect(
            stockedOutRoles([{ urn: urn("capo-e2e-worker"), message: STOCKOUT }], "capo-e2e"),
        ).toEqual(["worker"]);
        expect(
            stockedOutRoles([{ urn: urn("capo-e2e-controller"), message: STOCKOUT }], "capo-e2e"),
        ).toEqual(["controller"]);
    });

    it("names nothing for other errors, other resources or another DevStack", () => {
        const quota = "Error 403: Quota 'CPUS' exceeded";
        expect(
            stockedOutRoles([{ urn: urn("capo-e2e-worker"), message: quota }], "capo-e2e"),
        ).toEqual([]);
        expect(stockedOutRoles([{ message: STOCKOUT }], "capo-e2e")).toEqual([]);
        expect(
            stockedOutRoles([{ urn: urn("other-worker"), message: STOCKOUT }], "capo-e2e"),
        ).toEqual([]);
        expect(
            stockedOutRoles([{ urn: urn("capo-e2e-worker"), message: STOCKOUT }], "e2e-worker"),
        ).toEqual([]);
    });
});

/** An `up` that reports a stockout for a machine while it is in one of `full[role]`. */
function fakeUp(full: Partial<Record<Role, string[]>>) {
    const tried: Placement[] = [];
    let failed: Role[] = [];
    const up = async (p: Placement) => {
        tried.push(p);
        // The worker is created only once the controller exists, as in the DevStack.
        failed = ROLES.filter((r) => full[r]?.includes(p[r])).slice(0, 1);
        if (failed.length > 0) throw new Error(STOCKOUT);
        return "up";
    };
    return { tried, up, stockedOut: () => failed };
}

describe("placementOf", () => {
    it("places the controller in zone and the worker in workerZone", () => {
        expect(placementOf({ zone: "us-east4-a", workerZone: "us-east4-c" })).toEqual({
            controller: "us-east4-a",
            worker: "us-east4-c",
        });
    });
});

describe("upWithZoneFallback", () => {
    const start = { controller: "us-east4-a", worker: "us-east4-a" };

    it("moves only the worker when GCE has no room for it once the controller exists", async () => {
        const { tried, up, stockedOut } = fakeUp({ worker: ["us-east4-a", "us-east4-b"] });
        const moves: string[] = [];
        const { result, placement } = await upWithZoneFallback(
            ZONES,
            start,
            up,
            stockedOut,
            (r, f, t) => moves.push(`${r}:${f}->${t}`),
        );
        expect([result, placement]).toEqual([
            "up",
            { controller: "us-east4-a", worker: "us-east4-c" },
        ]);
        expect(tried.map((p) => p.controller)).toEqual(["us-east4-a", "us-east4-a", "us-east4-a"]);
        expect(moves).toEqual(["worker:us-east4-a->us-east4-b", "worker:us-east4-b->us-east4-c"]);
    });

    it("moves only the controller when it is the one GCE cannot place", async () => {
        const { tried, up, stockedOut } = fakeUp({ controller: ["us-east4-a"] });
        const { placement } = await upWithZoneFallback(ZONES, start, up, stockedOut);
        expect(placement).toEqual({ controller: "us-east4-b", worker: "us-east4-a" });
        expect(tried).toHaveLength(2);
    });

    it("throws any other error, or a stockout naming no machine, at once", async () => {
        const tried: Placement[] = [];
        await expect(
            upWithZoneFallback(
                ZONES,
                start,
                async (p) => {
                    tried.push(p);
                    throw new Error("Quota 'CPUS' exceeded");
                },
                () => [],
            ),
        ).rejects.toThrow(/Quota/);
        expect(tried).toEqual([start]);
    });

    it("throws the last stockout once no zone is left for the machine", async () => {
        const { tried, up, stockedOut } = fakeUp({ worker: ZONES });
        await expect(
            upWithZoneFallback(ZONES, { ...start, worker: "us-east4-b" }, up, stockedOut),
        ).rejects.toThrow(/ZONE_RESOURCE_POOL_EXHAUSTED/);
        expect(tried.map((p) => p.worker)).toEqual(["us-east4-b", "us-east4-c"]);
        expect(nextZone(ZONES, "us-east4-c")).toBeUndefined();
    });
});
