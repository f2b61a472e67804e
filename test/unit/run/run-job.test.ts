import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { settle, setupMocks } from "../../support/mocks";
import { fakeJob as job, fakeStack, PRINTED_SECRETS } from "../../support/fake-run-stack";
import { CANCEL_FILE_ENV, cancelReason } from "../../../providers/jobs/cancellation";
import type * as RunJobModule from "../../../run/run-job";

let runJob: typeof RunJobModule.runJob;

beforeAll(async () => {
    await setupMocks();
    ({ runJob } = await import("../../../run/run-job"));
});

afterAll(() => settle());

describe("a run's whole job", () => {
    let artifacts: string;
    beforeEach(() => {
        artifacts = fs.mkdtempSync(path.join(os.tmpdir(), "run-job-"));
    });
    afterEach(() => fs.rmSync(artifacts, { recursive: true, force: true }));

    const allArtifacts = () =>
        fs
            .readdirSync(artifacts, { recursive: true, withFileTypes: true })
            .filter((e) => e.isFile())
            .map((e) => fs.readFileSync(path.join(e.parentPath, e.name), "utf8"))
            .join("\n");

    it("exits 0 when up (and so the CI Job) succeeds, after destroying and removing the stack", async () => {
        const { stack, calls, tags } = fakeStack("pass");
        const { job: j, removed } = job(stack, artifacts);
        const started = Date.now();
        expect(await runJob(j)).toBe(0);
        // Its expiry is in the backend, for a janitor elsewhere: runTtlHours (24) from the start.
        const expiresIn = Date.parse(tags["k8s-ci-envs:expires-at"]) - started;
        expect(expiresIn / 3_600_000).toBeCloseTo(24, 2);
        expect(calls).toEqual(["config", "preview", "up", "destroy"]);
        expect(removed).toEqual([stack.name]);
        // Destroy's log, written after the outputs were collected, printed them too.
        expect(fs.readFileSync(path.join(artifacts, "pulumi-destroy.log"), "utf8")).toContain(
            "Destroying (with [secret], [secret])",
        );
        for (const secret of PRINTED_SECRETS) {
            expect(allArtifacts()).not.toContain(secret);
        }
        const phases = JSON.parse(fs.readFileSync(path.join(artifacts, "run-phases.json"), "utf8"));
        expect(phases.map((p: { phase: string }) => p.phase)).toEqual([
            "preview and up (and the CI Job)",
            "artifacts",
            "destroy",
        ]);
    });

    it("exits non-zero when up fails, and still destroys", async () => {
        const { stack, calls } = fakeStack("fail");
        const { job: j, removed } = job(stack, artifacts);
        expect(await runJob(j)).toBe(1);
        expect(calls).toContain("destroy");
        expect(removed).toEqual([stack.name]);
    });

    it("on a signal, aborts the running up, destroys, and exits non-zero; a second signal changes nothing", async () => {
        const { stack, calls } = fakeStack("wait");
        const { job: j, removed } = job(stack, artifacts);
        const result = runJob(j);
        await until(() => calls.includes("up"));
        process.emit("SIGUSR2" as never);
        process.emit("SIGUSR2" as never);
        expect(await result).toBe(1);
        expect(calls).toEqual(["config", "preview", "up", "destroy"]);
        expect(removed).toEqual([stack.name]);
        expect(process.listenerCount("SIGUSR2")).toBe(0);
    });

    it("on a signal, tells the engine's processes through the cancel marker, named only to up", async () => {
        let marker: string | undefined;
        const { stack, envSeen } = fakeStack(async (opts) => {
            await new Promise((resolve) => opts?.signal?.addEventListener("abort", resolve));
            marker = fs.readFileSync(envSeen.up[CANCEL_FILE_ENV], "utf8");
            throw new Error("the watch of Job default/ci: cancelled by SIGUSR2");
        });
        const { job: j } = job(stack, artifacts);
        const result = runJob(j);
        await until(() => envSeen.up !== undefined);
        expect(cancelReason(envSeen.up)).toBeUndefined(); // named, not yet written
        process.emit("SIGUSR2" as never);
        expect(await result).toBe(1);
        expect(marker).toBe("SIGUSR2\n");
        // The destroy must not stop: no marker for it, and the marker is gone.
        expect(envSeen.destroy).not.toHaveProperty(CANCEL_FILE_ENV);
        expect(fs.existsSync(envSeen.up[CANCEL_FILE_ENV])).toBe(false);
    });

    it("keeps a stack whose teardown failed, tagged for the janitor, and fails, its artifacts scrubbed", async () => {
        const { stack, tags } = fakeStack("pass", true);
        const { job: j, removed } = job(stack, artifacts);
        expect(await runJob(j)).toBe(1);
        expect(removed).toEqual([]);
        expect(tags["k8s-ci-envs:teardown-failed"]).toContain("a VM would not power off");
        const junit = fs.readFileSync(path.join(artifacts, "junit_pulumi_destroy.xml"), "utf8");
        expect(junit).toContain("a VM would not power off");
        for (const secret of PRINTED_SECRETS) {
            expect(allArtifacts()).not.toContain(secret);
        }
    });

    it("refuses a BOSKOS_ACQUIRE_TIMEOUT that is no duration, naming it, before anything", async () => {
        const { stack, calls } = fakeStack("pass");
        const { job: j } = job(stack, artifacts, {
            env: { BOSKOS_HOST: "127.0.0.1:1", BOSKOS_ACQUIRE_TIMEOUT: "half an hour" },
        });
        await expect(runJob(j)).rejects.toThrow(
            'BOSKOS_ACQUIRE_TIMEOUT="half an hour": must be a Go duration (such as 30m, 1h30m or 90s) or a number of seconds',
        );
        expect(calls).toEqual([]);
        expect(process.listenerCount("SIGUSR2")).toBe(0);
    });
});

/** Resolves once `check` holds (a step of the run has begun). */
async function until(check: () => boolean): Promise<void> {
    while (!check()) {
        await new Promise((r) => setTimeout(r, 5));
    }
}
