import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";

/** Configuration of one vcsim-host process (hack/tools/govmomi/vcsim-host reads it). */
export interface ProcessConfig {
    username: string;
    password: string;
    vsphereVersion: string;
    apiVersion: string;
    datacenters: number;
    clusters: number;
    hostsPerCluster: number;
    pools: number;
    datastores: number;
}

export interface RunningSimulator {
    pid: number;
    port: number;
    /** https://127.0.0.1:PORT/sdk */
    url: string;
}

const CONFIG_FILE = "vcsim-host.json";
const READY_FILE = "ready.json";
const LOG_FILE = "vcsim.log";

export function configPath(dir: string): string {
    return path.join(dir, CONFIG_FILE);
}

/**
 * Starts a simulator in `dir` (which holds its 0600 configuration, log and datastore folders),
 * detached so that it outlives the Pulumi provider process, on a free loopback port.
 */
export async function startSimulator(
    dir: string,
    config: ProcessConfig,
): Promise<RunningSimulator> {
    const tmp = path.join(dir, "tmp");
    fs.mkdirSync(tmp, { recursive: true, mode: 0o700 });
    const readyFile = path.join(dir, READY_FILE);
    fs.rmSync(readyFile, { force: true });
    fs.writeFileSync(
        configPath(dir),
        JSON.stringify({ ...config, listen: "127.0.0.1:0", readyFile }),
        { mode: 0o600 },
    );
    const log = fs.openSync(path.join(dir, LOG_FILE), "a", 0o600);
    const child = childProcess.spawn("vcsim-host", ["-config", configPath(dir)], {
        detached: true,
        stdio: ["ignore", log, log],
        // The model's own datastores are folders in $TMPDIR: keep them in the stack's folder.
        env: { ...process.env, TMPDIR: tmp },
    });
    fs.closeSync(log);
    let exited: string | undefined;
    child.on("error", (err) => (exited = err.message));
    child.on("exit", (code, signal) => (exited = `exited with ${signal ?? code}`));
    child.unref();

    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
        if (exited !== undefined) {
            throw new Error(`vcsim-host ${exited}: ${tail(path.join(dir, LOG_FILE))}`);
        }
        if (fs.existsSync(readyFile)) {
            const ready = JSON.parse(fs.readFileSync(readyFile, "utf8"));
            return { pid: ready.pid, port: Number(ready.port), url: ready.url };
        }
        await sleep(50);
    }
    stopProcess(child.pid!, dir);
    throw new Error(`vcsim-host did not become ready in 30s: ${tail(path.join(dir, LOG_FILE))}`);
}

/** Whether `pid` is still the simulator started in `dir` (and not a process that reused the PID). */
export function isSimulator(pid: number, dir: string): boolean {
    try {
        const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
        return path.basename(cmdline[0]) === "vcsim-host" && cmdline.includes(configPath(dir));
    } catch {
        return false;
    }
}

/** Folders of the vcsim-host processes running on the machine (their configuration's folder). */
function runningSimulatorDirs(): Set<string> {
    const dirs = new Set<string>();
    for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
        try {
            const argv = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
            const config = argv[argv.indexOf("-config") + 1];
            if (path.basename(argv[0]) === "vcsim-host" && config?.endsWith(CONFIG_FILE)) {
                dirs.add(path.dirname(config));
            }
        } catch {
            // gone while listing
        }
    }
    return dirs;
}

/**
 * Removes the folders in `parent` that no running simulator uses: what simulators left when
 * they died (a read only observes, and delete does not run for a resource refresh dropped).
 */
export function removeDeadSimulators(parent: string): void {
    if (!fs.existsSync(parent)) {
        return;
    }
    const running = runningSimulatorDirs();
    for (const entry of fs.readdirSync(parent)) {
        const dir = path.join(parent, entry);
        if (!running.has(dir)) {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    }
}

/** Stops the simulator (SIGTERM, then SIGKILL after 10 s) if it is still running. */
export async function stopSimulator(pid: number, dir: string): Promise<void> {
    if (!isSimulator(pid, dir)) {
        return;
    }
    stopProcess(pid, dir);
    const deadline = Date.now() + 10_000;
    while (isSimulator(pid, dir) && Date.now() < deadline) {
        await sleep(50);
    }
    if (isSimulator(pid, dir)) {
        process.kill(pid, "SIGKILL");
        while (isSimulator(pid, dir)) {
            await sleep(50);
        }
    }
}

function stopProcess(pid: number, dir: string): void {
    if (isSimulator(pid, dir)) {
        process.kill(pid, "SIGTERM");
    }
}

function tail(file: string): string {
    try {
        return fs.readFileSync(file, "utf8").split("\n").slice(-10).join("\n").trim();
    } catch {
        return "(no log)";
    }
}

function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
