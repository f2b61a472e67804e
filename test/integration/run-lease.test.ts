/**
 * A run's Boskos lease against a real Boskos server: waiting while none is free, the heartbeat,
 * and the release after a failed teardown. The run is runJob itself, on a stack that stands in
 * for the engine (test/support/fake-run-stack.ts): what is under test is the lease.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RunRecorder } from "../../run/recorder";
import { runJob } from "../../run/run-job";
import { BoskosServer, startBoskos } from "../support/boskos-server";
import { fakeJob, fakeStack, FakeUp } from "../support/fake-run-stack";
import { until } from "../support/poll";

jest.setTimeout(5 * 60 * 1000);

/** One resource of its own type: a busy pool. */
const SOLO = { type: "solo-project", names: ["solo-001"] };
/**
 * Another, for the heartbeat: a run that gave up waiting keeps its place in Boskos's queue for
 * the request TTL (30 s), ahead of any later request for that type.
 */
const BEAT = { type: "beat-project", names: ["beat-001"] };

let boskos: BoskosServer;
let work: string;

beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "run-lease-it-"));
    boskos = await startBoskos("gcve-vsphere-project", ["project-001"], {}, [SOLO, BEAT]);
});

afterAll(async () => {
    await boskos?.stop();
    fs.rmSync(work, { recursive: true, force: true });
});

interface Line {
    at: number;
    text: string;
}

/** A run of `build` leasing a resource of `type` (default solo-project), its log lines timed. */
function leasingRun(
    build: string,
    up: FakeUp,
    extra: { type?: string; timeout?: string; destroyFails?: boolean; heartbeatMs?: number } = {},
) {
    const lines: Line[] = [];
    const { stack, calls } = fakeStack(up, extra.destroyFails, `ci-lease-${build}`);
    const { job } = fakeJob(stack, path.join(work, build), {
        recorder: new RunRecorder(path.join(work, build), (text) =>
            lines.push({ at: Date.now(), text }),
        ),
        env: {
            BOSKOS_HOST: boskos.host,
            BOSKOS_RESOURCE_TYPE: extra.type ?? SOLO.type,
            BOSKOS_ACQUIRE_TIMEOUT: extra.timeout,
            JOB_NAME: "pull-capv-e2e",
            BUILD_ID: build,
        },
        heartbeatMs: extra.heartbeatMs,
    });
    const log = () => lines.map((l) => l.text).join("");
    const when = (pattern: RegExp) => lines.find((l) => pattern.test(l.text))?.at;
    return { result: runJob(job), calls, log, when };
}

describe("a run's Boskos lease", () => {
    it("waits while the only resource is busy, then runs; one that waits past BOSKOS_ACQUIRE_TIMEOUT fails", async () => {
        const later: { third?: ReturnType<typeof leasingRun> } = {};
        // The first run holds solo-001 until the second is seen waiting and the third has given up.
        const first = leasingRun("first", async () => {
            await until(() => later.third !== undefined, "the third run");
            expect(await later.third!.result).toBe(1);
            expect(boskos.statuses()["solo-001"]).toMatchObject({
                state: "busy",
                owner: "pull-capv-e2e/first",
            });
        });
        await until(() => /boskos: leased solo-001/.test(first.log()), "the first lease");
        const second = leasingRun("second", "pass");
        await until(() => /no free solo-project/.test(second.log()), "the second run to wait");
        const third = leasingRun("third", "pass", { timeout: "2s" });
        later.third = third;

        expect(await first.result).toBe(0);
        expect(await second.result).toBe(0);
        // The third waited its 2 s and failed without an up.
        expect(third.log()).toContain(
            "no free solo-project resource for pull-capv-e2e/third: waiting up to 2s (BOSKOS_ACQUIRE_TIMEOUT)",
        );
        expect(third.log()).toContain(
            "no free solo-project resource within 2s (BOSKOS_ACQUIRE_TIMEOUT)",
        );
        expect(third.calls).not.toContain("up");
        // The second ran, once the first had released.
        expect(second.calls).toEqual(["config", "preview", "up", "destroy"]);
        const released = first.when(/boskos: released solo-001 free/)!;
        const leased = second.when(/boskos: leased solo-001/)!;
        expect(second.when(/waiting up to 30m0s/)!).toBeLessThan(released);
        expect(leased).toBeGreaterThanOrEqual(released);
        expect(second.log()).toMatch(/boskos: released solo-001 free/);
        expect(boskos.states()["solo-001"]).toBe("free");
    });

    it("heartbeats while the run holds it, and releases it dirty after a failed teardown", async () => {
        const seen: string[] = [];
        const run = leasingRun(
            "beat",
            async () => {
                const lastUpdate = () => boskos.statuses()["beat-001"].lastUpdate;
                seen.push(lastUpdate());
                // Two heartbeats: Boskos's record of the resource moves on twice.
                await until(
                    () => {
                        const now = lastUpdate();
                        if (now !== seen[seen.length - 1]) {
                            seen.push(now);
                        }
                        return seen.length >= 3;
                    },
                    "two heartbeats",
                    20_000,
                );
                expect(boskos.statuses()["beat-001"]).toMatchObject({
                    state: "busy",
                    owner: "pull-capv-e2e/beat",
                });
            },
            { type: BEAT.type, destroyFails: true, heartbeatMs: 1000 },
        );
        expect(await run.result).toBe(1);
        const times = seen.map((t) => Date.parse(t));
        expect(times).toEqual([...times].sort((a, b) => a - b));
        expect(new Set(times).size).toBe(3);
        expect(run.log()).toContain("TEARDOWN FAILED");
        expect(run.log()).toMatch(/boskos: released beat-001 dirty/);
        expect(boskos.statuses()["beat-001"]).toMatchObject({ state: "dirty", owner: "" });
    });
});
