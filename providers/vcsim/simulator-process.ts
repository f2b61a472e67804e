import * as fs from "fs";
import * as path from "path";
import { resolveTool } from "../kwok/tools";
import { acquireLease, heldBy, releaseLease } from "../ports/leases";
import { LOCAL_PORTS } from "../ports/local";
import {
    readSupervisor,
    startSupervisor,
    stopSupervisor,
    supervisorFiles,
    supervisorRunning,
    tail,
} from "../supervise";
import { probe, ProcessHealth, processHealth } from "../supervise/health";
import { processModel } from "./inventory";
import { apiVersion, SimulatorModel } from "./model";

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

/** The configuration of a simulator of `model`, with this login. */
export function processConfig(
    model: SimulatorModel,
    username: string,
    password: string,
): ProcessConfig {
    return {
        username,
        password,
        vsphereVersion: model.vsphereVersion,
        apiVersion: apiVersion(model.vsphereVersion),
        ...processModel(model),
    };
}

/** What every start of the simulator restores: its port, and the inventory shaped with govc. */
export interface SimulatorSetup {
    /** A loopback port leased for the simulator: each restart listens on it again. */
    port: number;
    /** govc commands that shape the inventory, run after every start (see vcsim-host). */
    restore?: string[][];
    /** Folders that only back the in-memory inventory: emptied on every start. */
    scratchDirs?: string[];
}

export interface RunningSimulator {
    /** The vcsim-host process's (the supervisor starts another after a restart). */
    pid: number;
    port: number;
    /** https://127.0.0.1:PORT/sdk */
    url: string;
}

const CONFIG_FILE = "vcsim-host.json";
const READY_FILE = "ready.json";
const LOG_FILE = "vcsim.log";
/** The supervised process's name in the supervisor's spec and state. */
const PROCESS = "vcsim";
/** How long a start (restoring the inventory included) may take on a loaded 2-core machine. */
const READY_TIMEOUT_MS = 120_000;

export function configPath(dir: string): string {
    return path.join(dir, CONFIG_FILE);
}

/** The simulator's supervisor's files in its folder. */
export const simulatorFiles = supervisorFiles;

/** The ready file vcsim-host writes once listening and restored, if it is there. */
function readReady(dir: string): RunningSimulator | undefined {
    try {
        const ready = JSON.parse(fs.readFileSync(path.join(dir, READY_FILE), "utf8"));
        return { pid: ready.pid, port: Number(ready.port), url: ready.url };
    } catch {
        return undefined;
    }
}

function processStatus(dir: string) {
    return readSupervisor(simulatorFiles(dir))?.processes.find((p) => p.name === PROCESS);
}

/** The running simulator, once the process the supervisor now runs has restored its inventory. */
function readyNow(dir: string): RunningSimulator | undefined {
    const status = processStatus(dir);
    const ready = readReady(dir);
    return status?.state === "running" && ready?.pid === status.pid ? ready : undefined;
}

/**
 * Starts a simulator in `dir` (which holds its 0600 configuration, certificate, logs and
 * datastore folders) under the stack's supervisor, which outlives the Pulumi provider process
 * and starts it again, with backoff, whenever it exits. Resolves once it listens on
 * `setup.port` with its inventory restored; fails at its first exit, with its log's tail.
 */
export async function startSimulator(
    dir: string,
    config: ProcessConfig,
    setup: SimulatorSetup,
): Promise<RunningSimulator> {
    const tmp = path.join(dir, "tmp");
    fs.mkdirSync(tmp, { recursive: true, mode: 0o700 });
    const log = path.join(dir, LOG_FILE);
    fs.writeFileSync(
        configPath(dir),
        JSON.stringify({
            ...config,
            listen: `127.0.0.1:${setup.port}`,
            readyFile: path.join(dir, READY_FILE),
            certFile: path.join(dir, "tls.crt"),
            keyFile: path.join(dir, "tls.key"),
            scratchDirs: [tmp, ...(setup.scratchDirs ?? [])],
            govc: resolveTool("govc"),
            restore: setup.restore ?? [],
        }),
        { mode: 0o600 },
    );
    const files = simulatorFiles(dir);
    startSupervisor(files, [
        {
            name: PROCESS,
            binary: resolveTool("vcsim-host"),
            args: ["-config", configPath(dir)],
            dir,
            // The model's own datastores are folders in $TMPDIR: keep them in the stack's folder.
            env: [`TMPDIR=${tmp}`],
            log,
        },
    ]);
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
        const ready = readyNow(dir);
        if (ready !== undefined) {
            return ready;
        }
        const status = processStatus(dir);
        const failed =
            (status?.restarts ?? 0) > 0
                ? `exited (${status?.lastExit})`
                : Date.now() > deadline
                  ? `was not ready in ${READY_TIMEOUT_MS / 1000} s`
                  : undefined;
        if (failed !== undefined) {
            await stopSimulator(dir);
            throw new Error(`vcsim-host ${failed}; the last lines of ${log}:\n${tail(log)}`);
        }
        await sleep(100);
    }
}

/**
 * The simulator's state, restart count and health; only reads and asks. Healthy when its
 * supervisor runs it, it has restored its inventory since its last start, and it answers
 * /about with the pinned certificate.
 */
export async function simulatorHealth(
    dir: string,
    port: number,
    thumbprint: string,
): Promise<ProcessHealth> {
    const status = processStatus(dir);
    const answer =
        readyNow(dir) === undefined
            ? { ok: false as const, why: "not ready: starting or restoring its inventory" }
            : await probe({ url: `https://127.0.0.1:${port}/about`, thumbprint });
    return processHealth(status, answer);
}

/** Whether the simulator's supervisor runs (a simulator whose supervisor is gone is gone). */
export function simulatorRunning(dir: string): boolean {
    return supervisorRunning(simulatorFiles(dir));
}

/** A simulator's port lease is held by its folder: two of one resource while it is replaced. */
const leaseOwner = (dir: string) => `${dir}#vcsim`;

/** Leases a loopback port for the simulator in `dir`, from the local processes' pool. */
export function leasePort(leaseDir: string, dir: string, name: string): Promise<number> {
    return acquireLease(leaseDir, LOCAL_PORTS, {
        owner: leaseOwner(dir),
        cluster: `vcsim-${name}`,
        host: "127.0.0.1",
    });
}

/** Releases the port the simulator in `dir` leased, if it holds one. */
export function releasePort(leaseDir: string, dir: string): void {
    const held = heldBy(leaseDir, leaseOwner(dir));
    if (held !== undefined) {
        releaseLease(leaseDir, held.port, leaseOwner(dir));
    }
}

/**
 * Removes the folders in `parent` whose supervisor is gone, after `release` (which frees what
 * else they held): what simulators left when their supervisor died (a read only observes, and
 * delete does not run for a resource refresh dropped).
 */
export async function removeDeadSimulators(
    parent: string,
    release: (dir: string) => void,
): Promise<void> {
    if (!fs.existsSync(parent)) {
        return;
    }
    for (const entry of fs.readdirSync(parent)) {
        const dir = path.join(parent, entry);
        if (!simulatorRunning(dir)) {
            await stopUnsupervised(dir);
            release(dir);
            fs.rmSync(dir, { recursive: true, force: true });
        }
    }
}

/** Stops the simulator's supervisor, which stops the simulator (SIGTERM, then SIGKILL). */
export async function stopSimulator(dir: string): Promise<void> {
    await stopSupervisor(simulatorFiles(dir));
    await stopUnsupervised(dir);
}

/** vcsim-host processes running the configuration in `dir`. */
function simulatorsOf(dir: string): number[] {
    return fs
        .readdirSync("/proc")
        .filter((p) => /^\d+$/.test(p))
        .map(Number)
        .filter((pid) => {
            const argv = cmdline(pid);
            return path.basename(argv[0] ?? "") === "vcsim-host" && argv.includes(configPath(dir));
        });
}

function cmdline(pid: number): string[] {
    try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    } catch {
        return [];
    }
}

/**
 * Stops a simulator of `dir` that no supervisor runs: one started, detached, before simulators
 * ran under a supervisor (a supervised one dies with its supervisor). SIGTERM, then SIGKILL
 * after 10 s.
 */
async function stopUnsupervised(dir: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (let signal: NodeJS.Signals = "SIGTERM"; ;) {
        const pids = simulatorsOf(dir);
        if (pids.length === 0) {
            return;
        }
        for (const pid of pids) {
            try {
                process.kill(pid, signal);
            } catch {
                // exited since it was listed
            }
        }
        if (Date.now() > deadline) {
            signal = "SIGKILL";
        }
        await sleep(100);
    }
}

function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
