/**
 * Drives real stacks of this project through the Automation API and the pinned engine.
 * Runs inside `npm test` (hack/run), which puts the pinned toolchain and the offline-safe
 * Pulumi environment (hack/env.sh) in place.
 */
import * as childProcess from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { Lease } from "../../providers/ports/leases";
import { readSupervisor, supervisorFiles } from "../../providers/supervise";
import { PROJECT } from "../../stacks/config";
import { removeStackWithBackups } from "../../run/remove-stack";

export const ROOT = path.resolve(__dirname, "../..");

function passphrase(): string {
    const value = process.env.K8S_CI_ENVS_LOCAL_PASSPHRASE;
    if (!value) {
        throw new Error("integration tests run through `npm test`, which sets up hack/env.sh");
    }
    return value;
}

/** A stack name unique to this run, as CI names one stack per job. */
export function uniqueStackName(purpose: string): string {
    const run = process.env.BUILD_ID ?? crypto.randomBytes(3).toString("hex");
    return `local-it-${purpose}-${run}`;
}

/** Creates a local stack of this project with `config` (keys without the namespace). */
export async function createStack(
    name: string,
    config: Record<string, string> = {},
): Promise<Stack> {
    const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: name, workDir: ROOT },
        { envVars: { PULUMI_CONFIG_PASSPHRASE: passphrase() } },
    );
    await stack.setAllConfig(
        Object.fromEntries(
            Object.entries(config).map(([k, v]) => [`${PROJECT}:${k}`, { value: v }]),
        ),
    );
    return stack;
}

/** Destroys the stack and removes it with its backups and Pulumi.<stack>.yaml; loud if anything is left. */
export async function removeStack(stack: Stack): Promise<void> {
    const result = await stack.destroy();
    if (result.summary.result !== "succeeded") {
        throw new Error(`teardown failed: stack ${stack.name} has leaked`);
    }
    removeStackWithBackups(stack);
}

/**
 * The stack's state as the backend stores it (secrets encrypted): the CLI's export without
 * --show-secrets, which the Automation API's exportStack always passes. With `showSecrets`,
 * decrypted instead.
 */
export function storedState(name: string, showSecrets = false): string {
    const args = ["stack", "export", "--stack", name, ...(showSecrets ? ["--show-secrets"] : [])];
    return childProcess
        .execFileSync("pulumi", args, {
            cwd: ROOT,
            env: { ...process.env, PULUMI_CONFIG_PASSPHRASE: passphrase() },
            stdio: ["ignore", "pipe", "pipe"],
            maxBuffer: 256 * 1024 * 1024, // a stack with local clusters exports megabytes
        })
        .toString();
}

/** Every regular file below `dir`. */
export function filesUnder(dir: string): string[] {
    if (!fs.existsSync(dir)) {
        return [];
    }
    return fs
        .readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.join(e.parentPath, e.name));
}

/** The deployment's resources, from the exported state. */
export async function stateResources(stack: Stack) {
    const state = await stack.exportStack();
    return (state.deployment.resources ?? []) as {
        type: string;
        urn: string;
        outputs?: Record<string, unknown>;
    }[];
}

/** PIDs of running vcsim-host processes whose configuration lives under `dir`. */
export function simulatorPids(dir: string): number[] {
    return fs
        .readdirSync("/proc")
        .filter((p) => /^\d+$/.test(p))
        .filter((p) => {
            try {
                const argv = fs.readFileSync(`/proc/${p}/cmdline`, "utf8").split("\0");
                return (
                    path.basename(argv[0]) === "vcsim-host" && argv.some((a) => a.startsWith(dir))
                );
            } catch {
                return false;
            }
        })
        .map(Number);
}

/** PIDs of the processes whose command line names `dir`: a stack's simulator and clusters. */
export function processesIn(dir: string): number[] {
    return fs
        .readdirSync("/proc")
        .filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid)
        .filter((p) => {
            try {
                return fs.readFileSync(`/proc/${p}/cmdline`, "utf8").includes(dir);
            } catch {
                return false;
            }
        })
        .map(Number);
}

/**
 * Whether the supervised simulator in `dir` runs after `restarts` restarts, its inventory
 * restored (the ready file vcsim-host writes last is the running process's).
 */
export function simulatorReady(dir: string, restarts: number): boolean {
    const status = readSupervisor(supervisorFiles(dir))?.processes.find((p) => p.name === "vcsim");
    if (status?.state !== "running" || status.restarts !== restarts) {
        return false;
    }
    try {
        return JSON.parse(fs.readFileSync(path.join(dir, "ready.json"), "utf8")).pid === status.pid;
    } catch {
        return false;
    }
}

/** The raw command line of a process, as any local user can read it. */
export function cmdline(pid: number): string {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function listening(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const socket = net.connect({ host: "127.0.0.1", port });
        socket.once("connect", () => socket.destroy() && resolve(true));
        socket.once("error", () => resolve(false));
    });
}

/** Runs a bash script with the stack's vcsim.env sourced, as a user would; returns stdout. */
export function withEnvFile(envFile: string, script: string): string {
    return childProcess
        .execFileSync(
            "bash",
            ["-c", `set -euo pipefail; source "$1"; ${script}`, "bash", envFile],
            {
                // Nothing may be written outside the stack's folder: no govc session files.
                env: { ...process.env, GOVC_PERSIST_SESSION: "false" },
                stdio: ["ignore", "pipe", "pipe"],
            },
        )
        .toString();
}

/** The variables of an env file, parsed as bash would. */
export function envFileVariables(envFile: string): Record<string, string> {
    const names = fs
        .readFileSync(envFile, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => /^export (\w+)=/.exec(line)![1]);
    const json = withEnvFile(
        envFile,
        `node -e 'const o={};for(const k of process.argv.slice(1))o[k]=process.env[k];console.log(JSON.stringify(o))' ${names.join(" ")}`,
    );
    return JSON.parse(json);
}

/**
 * The pinned kubectl on a kubeconfig file, never the user's: KUBECONFIG is dropped and its
 * discovery cache kept out of ~/.kube. Returns stdout; throws with stderr.
 */
export function kubectl(kubeconfig: string, args: string[], input?: string): string {
    const env = { ...process.env };
    delete env.KUBECONFIG;
    const cache = path.join(os.tmpdir(), `k8s-ci-envs-test-kubectl-cache-${process.pid}`);
    return childProcess
        .execFileSync("kubectl", ["--kubeconfig", kubeconfig, "--cache-dir", cache, ...args], {
            env,
            input,
            stdio: ["pipe", "pipe", "pipe"],
        })
        .toString();
}

/**
 * What a read must not change: the processes running from `dirs`, every file below them (its
 * mode and hash), and the stack's state.
 */
export async function observed(stack: Stack, dirs: string[]) {
    const files = dirs.flatMap((dir) =>
        fs.existsSync(dir)
            ? (fs.readdirSync(dir, { recursive: true }) as string[]).map((entry) => {
                  const file = path.join(dir, entry);
                  const stat = fs.statSync(file);
                  const hash = stat.isFile()
                      ? crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex")
                      : "dir";
                  return `${file} ${(stat.mode & 0o7777).toString(8)} ${hash}`;
              })
            : [],
    );
    return {
        processes: dirs.flatMap((dir) => processesIn(dir)).sort(),
        files: files.sort(),
        state: (await stateResources(stack)).map((r) => [r.urn, r.outputs]),
    };
}

/** `pid` and its descendants, from /proc's parent links. */
export function processTree(pid: number): number[] {
    const children = new Map<number, number[]>();
    for (const p of fs.readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
        try {
            const stat = fs.readFileSync(`/proc/${p}/stat`, "utf8");
            const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
            children.set(ppid, [...(children.get(ppid) ?? []), Number(p)]);
        } catch {
            // gone meanwhile
        }
    }
    const tree = [pid];
    for (let i = 0; i < tree.length; i++) {
        tree.push(...(children.get(tree[i]) ?? []));
    }
    return tree;
}

/** The port leases in `dirs` held for anything of the stack in `stackDir`, by port. */
export function leasesOf(dirs: string[], stackDir: string): Lease[] {
    return dirs
        .filter((d) => fs.existsSync(d))
        .flatMap((d) =>
            fs
                .readdirSync(d)
                .filter((f) => f.endsWith(".json"))
                .map((f) => {
                    try {
                        return JSON.parse(fs.readFileSync(path.join(d, f), "utf8")) as Lease;
                    } catch {
                        return undefined; // released meanwhile
                    }
                }),
        )
        .filter((l): l is Lease => l !== undefined && l.owner.startsWith(`${stackDir}#`))
        .sort((a, b) => a.port - b.port);
}
