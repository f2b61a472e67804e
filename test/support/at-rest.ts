/**
 * A local stack at rest: every process its supervisors (hack/tools/supervise) keep, as their
 * state files and /proc show them, staying the same between two looks.
 */
import * as path from "path";
import { readSupervisor, supervisorFiles } from "../../providers/supervise";
import { filesUnder } from "./harness";
import { until } from "./poll";

/** One supervisor of the stack, and each of its processes as `<name> <state> <pid> restarts=<n>`. */
export interface Supervised {
    supervisor: string;
    alive: boolean | undefined;
    processes: string[];
}

/** The stack's supervisors (one per local cluster) and their processes, as they are now. */
export function supervised(stackDir: string): Supervised[] {
    return filesUnder(stackDir)
        .filter((f) => path.basename(f) === "supervisor-spec.json")
        .map((spec) => {
            const status = readSupervisor(supervisorFiles(path.dirname(spec)));
            return {
                supervisor: path.relative(stackDir, path.dirname(spec)),
                alive: status?.alive,
                processes: (status?.processes ?? []).map(
                    (p) => `${p.name} ${p.state} ${p.pid} restarts=${p.restarts}`,
                ),
            };
        });
}

/**
 * Resolves with the stack's supervisors once they and `also` look the same on two looks
 * `everyMs` apart (no process started, stopped or restarted between them); fails after `ms`.
 */
export async function atRest(
    stackDir: string,
    also: () => boolean = () => true,
    ms = 120_000,
    everyMs = 3_000,
): Promise<Supervised[]> {
    let last = "";
    await until(
        () => {
            const now = JSON.stringify(supervised(stackDir));
            const same = now === last;
            last = now;
            return same && also();
        },
        `the processes of ${stackDir} to stay the same for ${everyMs / 1000} s`,
        ms,
        everyMs,
    );
    return JSON.parse(last) as Supervised[];
}
