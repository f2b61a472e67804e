/**
 * Run stacks in miniature for the shared-backend tests: test/integration/postgres-state-program
 * (one dynamic resource that can hold its update until released), on a backend the test names,
 * driven by the run flow's own steps (run/steps.ts) with their artifacts in a folder of their own.
 */
import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import type { ConfigValue } from "@pulumi/pulumi/automation";
import { BackendEnvironment, movePasswordOutOfUrl } from "../../run/backend-url";
import { markExpiry } from "../../run/janitor-mark";
import { RunRecorder } from "../../run/recorder";
import { projectKey } from "../../run/run-config";
import { runUp } from "../../run/steps";
import { processTree, ROOT } from "./harness";

export { processTree };

export const PROGRAM = path.join(ROOT, "test/integration/postgres-state-program");

export const PASSPHRASE = { PULUMI_CONFIG_PASSPHRASE: process.env.K8S_CI_ENVS_LOCAL_PASSPHRASE! };

/** The environment k8s-ci-run gives the CLI for `backendUrl` (its password out of the URL). */
export function backendEnvironment(backendUrl: string): Record<string, string> {
    const env: BackendEnvironment = { PULUMI_BACKEND_URL: backendUrl };
    movePasswordOutOfUrl(env);
    return { ...PASSPHRASE, ...env } as Record<string, string>;
}

/** A stack of the program on the backend, as k8s-ci-run runs the CLI. */
export function programStack(name: string, backendUrl: string): Promise<Stack> {
    return LocalWorkspace.createOrSelectStack(
        { stackName: name, workDir: PROGRAM },
        { envVars: backendEnvironment(backendUrl) },
    );
}

/** Runs `k8s-ci-run ARGS` in the project's folder on the backend: its exit code and output. */
export function k8sCiRun(backendUrl: string, args: string[]): { code: number | null; out: string } {
    const result = childProcess.spawnSync(`${ROOT}/run/k8s-ci-run.js`, args, {
        cwd: ROOT,
        env: { ...process.env, ...PASSPHRASE, PULUMI_BACKEND_URL: backendUrl },
        encoding: "utf8",
    });
    return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

/** Removes what the stack's configuration left in the program's folder (its settings file). */
export function removeSettings(name: string): void {
    fs.rmSync(path.join(PROGRAM, `Pulumi.${name}.yaml`), { force: true });
}

/** A folder for a held update: the resource's create writes `started`, waits for `release`. */
export class Hold {
    readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "state-hold-"));

    async started(ms = 120_000): Promise<number> {
        const file = path.join(this.dir, "started");
        const deadline = Date.now() + ms;
        while (!fs.existsSync(file)) {
            if (Date.now() > deadline) {
                throw new Error("the held update never started its create");
            }
            await new Promise((r) => setTimeout(r, 100));
        }
        return Number(fs.readFileSync(file, "utf8"));
    }

    release(): void {
        fs.writeFileSync(path.join(this.dir, "release"), "");
    }

    remove(): void {
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

/** A run of the flow's steps on `stack`: its log, its artifacts, its result. */
export interface ProgramRun {
    artifacts: string;
    output: () => string;
    done: Promise<void>;
}

/** Runs the run flow's `up` (configure, preview into artifacts, up) as a run does. */
export function runProgram(
    stack: Stack,
    settings: { value: string; holdDir?: string; runTtlHours?: number },
): ProgramRun {
    const artifacts = fs.mkdtempSync(path.join(os.tmpdir(), "state-artifacts-"));
    let output = "";
    const recorder = new RunRecorder(artifacts, (text) => (output += text));
    const config: Record<string, ConfigValue> = {
        [projectKey("value")]: { value: settings.value },
        [projectKey("runTtlHours")]: { value: String(settings.runTtlHours ?? 24) },
    };
    if (settings.holdDir) {
        config[projectKey("holdDir")] = { value: settings.holdDir };
    }
    const done = (async () => {
        await markExpiry(stack, config);
        await runUp(stack, config, recorder);
    })();
    done.catch(() => undefined); // awaited by the test
    return { artifacts, output: () => output, done };
}

/** Every file's text under `dir`. */
export function filesText(dir: string): string {
    if (!fs.existsSync(dir)) {
        return "";
    }
    return (fs.readdirSync(dir, { recursive: true }) as string[])
        .map((entry) => path.join(dir, entry))
        .filter((file) => fs.statSync(file).isFile())
        .map((file) => fs.readFileSync(file, "latin1"))
        .join("\n");
}

/** Every running process's argv, with NULs as spaces. */
export function allCommandLines(): string[] {
    return fs
        .readdirSync("/proc")
        .filter((p) => /^\d+$/.test(p))
        .flatMap((p) => {
            try {
                return [fs.readFileSync(`/proc/${p}/cmdline`, "utf8").replace(/\0/g, " ")];
            } catch {
                return [];
            }
        });
}

/** The pinned CLI's process running `pulumi up` on `stackName`. */
export function cliUpPid(stackName: string): number {
    const pids = fs.readdirSync("/proc").filter((p) => {
        try {
            const argv = fs.readFileSync(`/proc/${p}/cmdline`, "utf8").split("\0");
            return (
                path.basename(argv[0]) === "pulumi" && argv[1] === "up" && argv.includes(stackName)
            );
        } catch {
            return false;
        }
    });
    if (pids.length !== 1) {
        throw new Error(`expected one pulumi up on ${stackName}, found ${pids.length}`);
    }
    return Number(pids[0]);
}

export function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0] !== "Z";
    } catch {
        return false;
    }
}
