/** The run's stack: one per Prow build, named from JOB_NAME and BUILD_ID. */
import { shortHash } from "../components/run-identity";
import type { ProwEnvironment } from "./prow-environment";

/** Pulumi's limit on the length of a stack name. */
export const STACK_NAME_MAX = 100;

/** Every run's stack name starts so: the janitor looks only at these. */
export const RUN_STACK_PREFIX = "ci-";

/**
 * One stack per run: `ci-<job>-<build>`, in the characters stack names allow. A job name too
 * long for the limit is cut and followed by a hash of the whole name: BUILD_ID always stays
 * whole, so no two builds share a stack.
 */
export function runStackName(env: ProwEnvironment): string {
    if (!env.JOB_NAME || !env.BUILD_ID) {
        throw new Error("JOB_NAME and BUILD_ID are required: Prow sets them for every job");
    }
    const safe = (text: string) => text.replace(/[^A-Za-z0-9_.-]+/g, "-");
    const [job, build] = [safe(env.JOB_NAME), safe(env.BUILD_ID)];
    const whole = `${RUN_STACK_PREFIX}${job}-${build}`;
    if (whole.length <= STACK_NAME_MAX) {
        return whole;
    }
    const tail = `-${shortHash(env.JOB_NAME)}-${build}`;
    const room = STACK_NAME_MAX - RUN_STACK_PREFIX.length - tail.length;
    if (room < 1) {
        throw new Error(`BUILD_ID is too long for a stack name: ${env.BUILD_ID}`);
    }
    return `${RUN_STACK_PREFIX}${job.slice(0, room)}${tail}`;
}
