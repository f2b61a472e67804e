import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { ConfigValue, UpOptions } from "@pulumi/pulumi/automation";
import { settle, setupMocks } from "../../support/mocks";
import { RunRecorder } from "../../../run/recorder";
import type * as RunJobModule from "../../../run/run-job";

let runJob: typeof RunJobModule.runJob;

beforeAll(async () => {
    await setupMocks();
    ({ runJob } = await import("../../../run/run-job"));
});

afterAll(() => settle());

const SECRET = "job-secret-password";

/** A run's stack whose `up` passes, fails, or waits until its signal aborts it. */
function fakeStack(up: "pass" | "fail" | "wait", destroyFails = false) {
    const config: Record<string, ConfigValue> = {};
    const calls: string[] = [];
    const tags: Record<string, string> = {};
    const stack = {
        name: "ci-pull-capv-e2e-1",
        getAllConfig: async () => config,
        setConfig: async () => undefined,
        setAllConfigJson: async (json: string) => {
            Object.assign(config, JSON.parse(json));
            calls.push("config");
        },
        preview: async () => {
            calls.push("preview");
            return { stdout: `password: ${SECRET}\n`, stderr: "", changeSummary: { create: 1 } };
        },
        up: async (opts?: UpOptions) => {
            calls.push("up");
            // The job's secret, and a secret output's value, as the engine may print them.
            opts?.onOutput?.(`Updating (with ${SECRET})\nvcenterPassword: generated-password\n`);
            if (up === "fail") {
                throw new Error("the CI Job failed: BackoffLimitExceeded");
            }
            if (up === "wait") {
                await new Promise((_resolve, reject) =>
                    opts?.signal?.addEventListener("abort", () => reject(new Error("cancelled"))),
                );
            }
            return {} as never;
        },
        destroy: async () => {
            calls.push("destroy");
            if (destroyFails) {
                throw new Error("destroy failed: a VM would not power off");
            }
            return {} as never;
        },
        outputs: async () => ({
            vcenterServer: { value: "127.0.0.1:1", secret: false },
            vcenterPassword: { value: "generated-password", secret: true },
        }),
        workspace: {
            setTag: async (_stack: string, key: string, value: string) => {
                tags[key] = value;
            },
        },
    };
    return { stack, calls, tags };
}

function job(stack: ReturnType<typeof fakeStack>["stack"], artifacts: string) {
    const removed: string[] = [];
    return {
        removed,
        job: {
            stack: stack as never,
            config: () => ({ "k8s-ci-envs:composition": { value: "local" } }),
            remove: () => removed.push(stack.name),
            recorder: new RunRecorder(artifacts, () => undefined),
            env: {},
            secrets: [SECRET],
            signals: ["SIGUSR2" as NodeJS.Signals],
        },
    };
}

describe("a run's whole job", () => {
    let artifacts: string;
    beforeEach(() => {
        artifacts = fs.mkdtempSync(path.join(os.tmpdir(), "run-job-"));
    });
    afterEach(() => fs.rmSync(artifacts, { recursive: true, force: true }));

    const allArtifacts = () =>
        fs
            .readdirSync(artifacts)
            .map((f) => fs.readFileSync(path.join(artifacts, f), "utf8"))
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
        expect(allArtifacts()).not.toContain(SECRET);
        expect(allArtifacts()).not.toContain("generated-password");
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
        await new Promise((r) => setTimeout(r, 50));
        process.emit("SIGUSR2" as never);
        process.emit("SIGUSR2" as never);
        expect(await result).toBe(1);
        expect(calls).toEqual(["config", "preview", "up", "destroy"]);
        expect(removed).toEqual([stack.name]);
        expect(process.listenerCount("SIGUSR2")).toBe(0);
    });

    it("keeps a stack whose teardown failed, tagged for the janitor, and fails", async () => {
        const { stack, tags } = fakeStack("pass", true);
        const { job: j, removed } = job(stack, artifacts);
        expect(await runJob(j)).toBe(1);
        expect(removed).toEqual([]);
        expect(tags["k8s-ci-envs:teardown-failed"]).toContain("a VM would not power off");
    });
});
