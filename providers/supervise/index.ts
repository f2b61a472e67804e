/**
 * The client of `supervise` (hack/tools/supervise), which keeps the stack's long-running
 * processes running after the Pulumi provider process that started them has exited: each one
 * that exits is started again with backoff, and every restart is counted in its state file.
 */
import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";

export interface SupervisedProcess {
    name: string;
    binary: string;
    args: string[];
    dir: string;
    /** KEY=VALUE, added to the supervisor's environment. */
    env?: string[];
    /** Receives the process's output, appended across restarts. */
    log: string;
}

/** Where a supervisor keeps its files: its spec, its state and its own log. */
export interface SupervisorFiles {
    spec: string;
    state: string;
    log: string;
}

export function supervisorFiles(dir: string): SupervisorFiles {
    return {
        spec: path.join(dir, "supervisor-spec.json"),
        state: path.join(dir, "supervisor-state.json"),
        log: path.join(dir, "supervisor.log"),
    };
}

/** The processes the supervisor of `files` was started with. */
export function readSpec(files: SupervisorFiles): SupervisedProcess[] {
    try {
        return JSON.parse(fs.readFileSync(files.spec, "utf8")).components;
    } catch {
        return [];
    }
}

/** A process's entry in the state file, as the supervisor writes it. */
export interface ProcessStatus {
    name: string;
    /** running, waiting (exited; restarts after its backoff) or stopped. */
    state: string;
    pid?: number;
    restarts: number;
    lastExit?: string;
    exitedAt?: string;
}

export interface SupervisorStatus {
    /** Whether the supervisor itself is running. */
    alive: boolean;
    pid: number;
    processes: ProcessStatus[];
}

function cmdline(pid: number): string[] {
    try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    } catch {
        return [];
    }
}

/** Whether `pid` is the supervisor of `files` (and not a process that reused its pid). */
function isSupervisor(pid: number, files: SupervisorFiles): boolean {
    const argv = cmdline(pid);
    return path.basename(argv[0] ?? "") === "supervise" && argv[1] === files.spec;
}

/** Starts a supervisor of `processes`, detached, so that it outlives this process. */
export function startSupervisor(files: SupervisorFiles, processes: SupervisedProcess[]): number {
    fs.rmSync(files.state, { force: true });
    fs.writeFileSync(files.spec, JSON.stringify({ state: files.state, components: processes }), {
        mode: 0o600,
    });
    const log = fs.openSync(files.log, "a", 0o600);
    const child = childProcess.spawn("supervise", [files.spec], {
        detached: true,
        stdio: ["ignore", log, log],
    });
    fs.closeSync(log);
    child.unref();
    if (child.pid === undefined) {
        throw new Error(`supervise ${files.spec} did not start: ${tail(files.log)}`);
    }
    return child.pid;
}

/** What the supervisor's state file says, with what /proc says of its pids; only reads. */
export function readSupervisor(files: SupervisorFiles): SupervisorStatus | undefined {
    let state: { pid: number; components: ProcessStatus[] };
    try {
        state = JSON.parse(fs.readFileSync(files.state, "utf8"));
    } catch {
        return undefined;
    }
    return {
        alive: isSupervisor(state.pid, files),
        pid: state.pid,
        processes: state.components.map((p) => ({
            ...p,
            // A supervisor killed with SIGKILL could not record its processes' end.
            state:
                p.state === "running" && !(p.pid !== undefined && cmdline(p.pid).length > 0)
                    ? "gone"
                    : p.state,
        })),
    };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Stops the supervisor of `files`, which stops its processes (SIGTERM, then SIGKILL after their
 * grace period); SIGKILL to the supervisor itself after `timeoutMs`, which its processes do not
 * outlive (they carry a parent-death signal).
 */
export async function stopSupervisor(files: SupervisorFiles, timeoutMs = 20_000): Promise<void> {
    const pid = readSupervisor(files)?.pid ?? findSupervisor(files);
    if (pid === undefined || !isSupervisor(pid, files)) {
        return;
    }
    process.kill(pid, "SIGTERM");
    const deadline = Date.now() + timeoutMs;
    while (isSupervisor(pid, files)) {
        if (Date.now() > deadline) {
            process.kill(pid, "SIGKILL");
        }
        await sleep(100);
    }
}

/** Whether a supervisor of `files` runs, whether or not it has written its state yet. */
export function supervisorRunning(files: SupervisorFiles): boolean {
    return readSupervisor(files)?.alive === true || findSupervisor(files) !== undefined;
}

/** A supervisor of `files` that has not written its state yet (killed right after its start). */
function findSupervisor(files: SupervisorFiles): number | undefined {
    return fs
        .readdirSync("/proc")
        .filter((p) => /^\d+$/.test(p))
        .map(Number)
        .find((pid) => isSupervisor(pid, files));
}

/** The last lines of a log file, for an error message. */
export function tail(file: string, lines = 15): string {
    try {
        return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
    } catch {
        return "(no log)";
    }
}
