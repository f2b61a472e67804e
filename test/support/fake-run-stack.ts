/**
 * A run's stack for runJob without the engine: records the steps, and prints what the engine may
 * print (the job's secret, plain and base64, and a secret output's value) in up and destroy.
 */
import type { ConfigValue, DestroyOptions, UpOptions } from "@pulumi/pulumi/automation";
import { RunRecorder } from "../../run/recorder";
import type { RunJob } from "../../run/run-job";

export const JOB_SECRET = "job-secret-password";
export const SECRET_OUTPUT = "generated-password";

const base64 = (s: string) => Buffer.from(s).toString("base64");

/** What the fake engine prints of the secrets: each as it is, and base64-encoded. */
export const PRINTED_SECRETS = [
    JOB_SECRET,
    base64(JOB_SECRET),
    SECRET_OUTPUT,
    base64(SECRET_OUTPUT),
];

/** `up` passes, fails, waits until its signal aborts it, or runs `body` (then passes). */
export type FakeUp = "pass" | "fail" | "wait" | ((opts?: UpOptions) => Promise<void>);

export function fakeStack(up: FakeUp, destroyFails = false, name = "ci-pull-capv-e2e-1") {
    const config: Record<string, ConfigValue> = {};
    const calls: string[] = [];
    const tags: Record<string, string> = {};
    const envVars: Record<string, string> = {};
    /** The workspace's environment as each step saw it, by step. */
    const envSeen: Record<string, Record<string, string>> = {};
    const stack = {
        name,
        getAllConfig: async () => config,
        setConfig: async () => undefined,
        setAllConfigJson: async (json: string) => {
            Object.assign(config, JSON.parse(json));
            calls.push("config");
        },
        preview: async () => {
            calls.push("preview");
            return {
                stdout: `password: ${JOB_SECRET}\n`,
                stderr: "",
                changeSummary: { create: 1 },
            };
        },
        up: async (opts?: UpOptions) => {
            calls.push("up");
            envSeen.up = { ...envVars };
            opts?.onOutput?.(
                `Updating (with ${JOB_SECRET})\nvcenterPassword: ${SECRET_OUTPUT}\n` +
                    `token: ${base64(JOB_SECRET)}\n`,
            );
            if (up === "fail") {
                throw new Error("the CI Job failed: BackoffLimitExceeded");
            }
            if (up === "wait") {
                await new Promise((_resolve, reject) =>
                    opts?.signal?.addEventListener("abort", () => reject(new Error("cancelled"))),
                );
            }
            if (typeof up === "function") {
                await up(opts);
            }
            return {} as never;
        },
        destroy: async (opts?: DestroyOptions) => {
            calls.push("destroy");
            envSeen.destroy = { ...envVars };
            // As a DevStack's log collection on destroy, or a provider's error, may print them.
            opts?.onOutput?.(
                `Destroying (with ${JOB_SECRET}, ${base64(JOB_SECRET)})\n` +
                    `vcenterPassword: ${SECRET_OUTPUT} ${base64(SECRET_OUTPUT)}\n`,
            );
            if (destroyFails) {
                throw new Error("destroy failed: a VM would not power off");
            }
            return {} as never;
        },
        outputs: async () => ({
            vcenterServer: { value: "127.0.0.1:1", secret: false },
            vcenterPassword: { value: SECRET_OUTPUT, secret: true },
        }),
        workspace: {
            envVars,
            setTag: async (_stack: string, key: string, value: string) => {
                tags[key] = value;
            },
        },
    };
    return { stack, calls, tags, envSeen };
}

/** A runJob request on the fake stack, its artifacts in `artifacts`, cancelled by SIGUSR2. */
export function fakeJob(
    stack: ReturnType<typeof fakeStack>["stack"],
    artifacts: string,
    extra: Partial<RunJob> = {},
) {
    const removed: string[] = [];
    const out: string[] = [];
    const job: RunJob = {
        stack: stack as never,
        config: () => ({ "k8s-ci-envs:composition": { value: "local" } }),
        remove: () => removed.push(stack.name),
        recorder: new RunRecorder(artifacts, (text) => out.push(text)),
        env: {},
        secrets: [JOB_SECRET],
        signals: ["SIGUSR2"],
        ...extra,
    };
    return { job, removed, output: () => out.join("") };
}
