/**
 * The whole Prow job through the command (k8s-ci-run run), on the local composition, with a
 * Prow-like environment and a real Boskos server: exit code, teardown, lease, artifacts.
 */
import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { runStackName } from "../../run/stack-name";
import { BoskosServer, startBoskos } from "../support/boskos-server";
import { processesIn, ROOT } from "../support/harness";

jest.setTimeout(30 * 60 * 1000);

const TYPE = "gcve-vsphere-project";
const JOB_SECRET = "prow-preset-password-7f3a";
const USERDATA = {
    folder: "/SDDC-Datacenter/vm/Workloads",
    resourcePool: "/SDDC-Datacenter/host/Cluster-1/Resources/Compute-ResourcePool",
    ipPool: '{"addresses":["192.168.35.0-192.168.35.15"],"gateway":"192.168.32.1","prefix":21}',
};

let boskos: BoskosServer;
let work: string;

beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "run-job-it-"));
    boskos = await startBoskos(TYPE, ["project-001", "project-002", "project-003"], USERDATA);
});

afterAll(async () => {
    await boskos?.stop();
    fs.rmSync(work, { recursive: true, force: true });
});

/** A local composition as small as Prow's rules allow: one build cluster of three nodes. */
function settings(extra: Record<string, unknown> = {}): string {
    const file = path.join(work, `settings-${Object.keys(extra).join("-") || "plain"}.yaml`);
    const key = (k: string) => `k8s-ci-envs:${k}`;
    const config: Record<string, unknown> = {
        [key("composition")]: "local",
        [key("prowBuildClusters")]: ["w=3"],
        [key("kubevirtciClusters")]: ["w"],
    };
    for (const [k, v] of Object.entries(extra)) {
        config[key(k)] = v;
    }
    fs.writeFileSync(file, yaml.dump({ config }));
    return file;
}

interface Run {
    code: number | null;
    artifacts: string;
    stack: string;
    seconds: number;
    /** When the command exited (ms since the epoch). */
    exitedAt: number;
}

/** What to do to the running command once its output shows `when`. */
interface Trigger {
    when: RegExp;
    then: (pid: number) => void;
}

/** Runs the command as a Prow job would; `trigger` acts once its output shows a step began. */
function run(build: string, settingsFile: string, trigger?: Trigger): Promise<Run> {
    const artifacts = path.join(work, build, "artifacts");
    const env = {
        ...process.env,
        JOB_NAME: "pull-capv-e2e",
        BUILD_ID: build,
        PROW_JOB_ID: `pj-${build}`,
        ARTIFACTS: artifacts,
        BOSKOS_HOST: boskos.host,
        GOVC_PASSWORD: JOB_SECRET,
        PULUMI_CONFIG_PASSPHRASE: process.env.K8S_CI_ENVS_LOCAL_PASSPHRASE,
    };
    const start = Date.now();
    return new Promise((resolve, reject) => {
        const child = childProcess.spawn(
            path.join(ROOT, "run/k8s-ci-run.js"),
            ["run", "vmc", "--settings", settingsFile],
            { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] },
        );
        let output = "";
        const watch = (chunk: Buffer) => {
            output += chunk.toString();
            if (trigger && trigger.when.test(output)) {
                const once = trigger.then;
                trigger = undefined;
                once(child.pid!);
            }
        };
        child.stdout.on("data", watch);
        child.stderr.on("data", watch);
        child.on("error", reject);
        child.on("exit", (code) => {
            fs.writeFileSync(path.join(work, `${build}.log`), output);
            resolve({
                code,
                artifacts,
                stack: runStackName({ JOB_NAME: "pull-capv-e2e", BUILD_ID: build }),
                seconds: (Date.now() - start) / 1000,
                exitedAt: Date.now(),
            });
        });
    });
}

async function stackNames(): Promise<string[]> {
    const ws = await LocalWorkspace.create({ workDir: ROOT });
    return (await ws.listStacks()).map((s) => s.name);
}

function expectNoSecretIn(dir: string) {
    for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
        if (entry.isFile()) {
            const text = fs.readFileSync(path.join(entry.parentPath, entry.name), "utf8");
            expect([entry.name, text.includes(JOB_SECRET)]).toEqual([entry.name, false]);
        }
    }
}

function phases(artifacts: string): { phase: string; seconds: number }[] {
    return JSON.parse(fs.readFileSync(path.join(artifacts, "run-phases.json"), "utf8"));
}

/** The run leased a resource from Boskos and released it `state`, as its log says. */
function expectLeased(build: string, result: Run, state: RegExp) {
    expect(phases(result.artifacts).map((p) => p.phase)).toEqual(
        expect.arrayContaining(["lease", "release"]),
    );
    const log = fs.readFileSync(path.join(work, `${build}.log`), "utf8");
    expect(log).toMatch(/boskos: leased project-00\d/);
    expect(log).toMatch(new RegExp(`boskos: released project-00\\d ${state.source}`));
}

describe("k8s-ci-run run", () => {
    it("passes when the CI Job succeeds: exit 0, torn down, lease free, artifacts without secrets", async () => {
        const build = `ok${Date.now()}`;
        const result = await run(build, settings());
        console.log(`run ${build}: ${result.seconds} s`, phases(result.artifacts));
        expect(result.code).toBe(0);
        expect(await stackNames()).not.toContain(result.stack);
        expect(Object.values(boskos.states())).toEqual(["free", "free", "free"]);
        expectLeased(build, result, /free/);
        const files = fs.readdirSync(result.artifacts).sort();
        expect(files).toEqual(
            expect.arrayContaining([
                "junit_pulumi.xml",
                "junit_pulumi_destroy.xml",
                "pulumi-destroy.log",
                "pulumi-outputs.json",
                "pulumi-preview.json",
                "pulumi-preview.md",
                "pulumi-up.log",
                "run-phases.json",
            ]),
        );
        const outputs = JSON.parse(
            fs.readFileSync(path.join(result.artifacts, "pulumi-outputs.json"), "utf8"),
        );
        expect(outputs.vcenterPassword).toBe("[secret]");
        expectNoSecretIn(result.artifacts);
        expect(fs.existsSync(path.join(ROOT, "out", result.stack))).toBe(false);
    });

    it("fails when the CI Job fails: non-zero, torn down, lease released", async () => {
        const build = `fail${Date.now()}`;
        const result = await run(build, settings({ vmcLocalJobExitCode: 3 }));
        console.log(`run ${build}: ${result.seconds} s`, phases(result.artifacts));
        expect(result.code).not.toBe(0);
        expect(await stackNames()).not.toContain(result.stack);
        // Released: free after a clean teardown, dirty after a failed one; never left busy.
        expect(Object.values(boskos.states())).not.toContain("busy");
        expectLeased(build, result, /(free|dirty)/);
        expectNoSecretIn(result.artifacts);
    });

    it("on SIGINT in the middle of up, cancels, tears down, releases and leaves nothing", async () => {
        const build = `int${Date.now()}`;
        // Some seconds into up, whatever it is doing then.
        const result = await run(build, settings(), {
            when: /Updating \(/,
            then: (pid) => setTimeout(() => process.kill(pid, "SIGINT"), 5000),
        });
        console.log(`run ${build}: ${result.seconds} s`, phases(result.artifacts));
        expect(result.code).toBe(130);
        expect(await stackNames()).not.toContain(result.stack);
        expect(Object.values(boskos.states())).not.toContain("busy");
        expectLeased(build, result, /(free|dirty)/);
        expect(fs.existsSync(path.join(ROOT, "out", result.stack))).toBe(false);
        expect(processesIn(path.join(ROOT, "out", result.stack))).toEqual([]);
        const log = fs.readFileSync(path.join(work, `${build}.log`), "utf8");
        // In the middle of up: the update had begun.
        const cancelled = log.indexOf("SIGINT: cancelling the run's update");
        expect(log.indexOf("Updating (")).toBeGreaterThan(-1);
        expect(log.indexOf("Updating (")).toBeLessThan(cancelled);
    });

    it("on SIGTERM while the watch waits for the CI Job, stops the wait at once, tears down and releases the lease free within 15 s", async () => {
        const build = `term${Date.now()}`;
        let signalled = 0;
        // A Job whose pods fail stays running for minutes: it retries them with backoff (4 times).
        // Without the limited supervisor, whose destroy is not what this test times.
        const result = await run(build, settings({ vmcLocalJobExitCode: 3, supervisor: false }), {
            when: /JobWatch vmc-ci-job-watch creating/,
            then: (pid) => {
                signalled = Date.now();
                process.kill(pid, "SIGTERM");
            },
        });
        console.log(`run ${build}: ${result.seconds} s`, phases(result.artifacts));
        expect(signalled).toBeGreaterThan(0);
        expect(result.code).toBe(143);
        expect(await stackNames()).not.toContain(result.stack);
        expect(Object.values(boskos.states())).toEqual(["free", "free", "free"]);
        expectLeased(build, result, /free/);
        expect(processesIn(path.join(ROOT, "out", result.stack))).toEqual([]);
        expectNoSecretIn(result.artifacts);
        // The update was cancelled in the watch: the engine reports the watch's error, not the
        // Job's own end (BackoffLimitExceeded), and the watch never got into the state that
        // destroy worked from, while the Job did.
        const up = fs.readFileSync(path.join(result.artifacts, "pulumi-up.log"), "utf8");
        expect(up).toMatch(
            /JobWatch vmc-ci-job-watch \*\*creating failed\*\* error: the watch of Job/,
        );
        expect(up).toContain(
            "the watch of Job default/cluster-api-provider-vsphere-ci: cancelled by SIGTERM",
        );
        expect(up).not.toContain("BackoffLimitExceeded");
        const destroy = fs.readFileSync(path.join(result.artifacts, "pulumi-destroy.log"), "utf8");
        expect(destroy).toMatch(/vmc-ci-job-job deleted/);
        expect(destroy).not.toContain("vmc-ci-job-watch");
        // Within Prow's grace period: 15 s from the signal to the exit.
        const exitedIn = (result.exitedAt - signalled) / 1000;
        console.log(`run ${build}: exited ${exitedIn} s after SIGTERM`);
        expect(exitedIn).toBeLessThan(15);
    });
});
