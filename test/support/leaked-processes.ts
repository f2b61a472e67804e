/**
 * Jest's global teardown: a process a test started and left running fails the run, named, and
 * is stopped. Without this a leaked child keeps jest from exiting and the run hangs to CI's limit.
 */
import * as fs from "fs";
import { processTree } from "./harness";

function alive(pid: number): string | undefined {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z")) {
            return undefined;
        }
        return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
    } catch {
        return undefined;
    }
}

export default async function leakedProcesses(): Promise<void> {
    const leaked = processTree(process.pid)
        .filter((pid) => pid !== process.pid)
        .map((pid) => ({ pid, command: alive(pid) }))
        .filter((p): p is { pid: number; command: string } => p.command !== undefined);
    if (leaked.length === 0) {
        return;
    }
    for (const signal of ["SIGTERM", "SIGKILL"] as const) {
        for (const p of leaked) {
            try {
                process.kill(p.pid, signal);
            } catch {
                // gone meanwhile
            }
        }
        const deadline = Date.now() + 5_000;
        while (Date.now() < deadline && leaked.some((p) => alive(p.pid) !== undefined)) {
            await new Promise((r) => setTimeout(r, 100));
        }
    }
    throw new Error(
        `tests left ${leaked.length} process(es) running (now stopped):\n` +
            leaked.map((p) => `  ${p.pid} ${p.command.slice(0, 200)}`).join("\n"),
    );
}
