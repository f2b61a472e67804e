/**
 * `k8s-ci-run run`: a Prow job's whole life in one command. Lease (with BOSKOS_HOST, waiting while
 * none is free), preview, `up` (which waits for the environment's CI Job: `up` succeeds only when
 * it does), collect artifacts, always destroy, release, and scrub the job's secrets from every
 * artifact. The exit code is the CI result. SIGINT or SIGTERM (Prow's grace period) aborts the
 * running operation through the Automation API's signal (the CLI gets SIGINT and stops cleanly)
 * and tells the providers' waits through the cancel marker (cancel-marker.ts), then destroys and
 * releases; a second signal changes nothing.
 */
import type { ConfigValue, Stack } from "@pulumi/pulumi/automation";
import { CancelMarker } from "./cancel-marker";
import { collectOutputs, scrubArtifacts } from "./collect-artifacts";
import {
    acquireTimeoutMs,
    DEFAULT_RESOURCE_TYPE,
    Lease,
    LeaseEnvironment,
    leasedConfig,
    leaseOwner,
} from "./lease";
import { markExpiry, markTeardownFailed } from "./janitor-mark";
import { PhaseClock } from "./phase-clock";
import { RunRecorder } from "./recorder";
import { runDown, runUp } from "./steps";

/** What a run needs from outside: its stack, its configuration, and how to remove the stack. */
export interface RunJob {
    stack: Stack;
    /** The run's configuration, given what the lease put into it (by key). */
    config: (leased: Record<string, string>) => Record<string, ConfigValue>;
    remove: () => void;
    recorder: RunRecorder;
    env: LeaseEnvironment;
    /** The values to scrub from every artifact (the job's credentials). */
    secrets: string[];
    /** Process signals that cancel the run (default SIGINT and SIGTERM). */
    signals?: NodeJS.Signals[];
    heartbeatMs?: number;
}

/** Exit codes: the shell's for a run ended by a signal. */
const SIGNAL_EXIT: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

export async function runJob(job: RunJob): Promise<number> {
    const { stack, recorder, env } = job;
    const timeoutMs = acquireTimeoutMs(env); // a bad value stops the run before anything
    const log = recorder.log();
    const clock = new PhaseClock();
    const abort = new AbortController();
    const cancel = CancelMarker.create(stack.workspace);
    let received: NodeJS.Signals | undefined;
    const onSignal = (signal: NodeJS.Signals) => {
        if (received === undefined) {
            received = signal;
            log(`\n${signal}: cancelling the run's update, then destroying and releasing\n`);
            cancel.write(signal);
            abort.abort(signal);
        } else {
            log(`${signal}: already cancelling\n`);
        }
    };
    const handlers = (job.signals ?? ["SIGINT", "SIGTERM"]).map(
        (s) => [s, () => onSignal(s)] as const,
    );
    handlers.forEach(([s, handler]) => process.on(s, handler));

    let lease: Lease | undefined;
    let passed = false;
    let tornDown = false;
    const secrets = [...job.secrets];
    try {
        if (env.BOSKOS_HOST) {
            const host = env.BOSKOS_HOST;
            lease = await clock.time("lease", () =>
                Lease.acquire(
                    host,
                    env.BOSKOS_RESOURCE_TYPE || DEFAULT_RESOURCE_TYPE,
                    leaseOwner(env),
                    log,
                    { heartbeatMs: job.heartbeatMs, timeoutMs, signal: abort.signal },
                ),
            );
        }
        const config = job.config(lease ? leasedConfig(lease.resource) : {});
        await markExpiry(stack, config);
        await clock.time("preview and up (and the CI Job)", () =>
            runUp(stack, config, recorder, abort.signal),
        );
        passed = received === undefined;
    } catch (err) {
        log(`the run failed: ${err instanceof Error ? err.message : String(err)}\n`);
    } finally {
        cancel.remove();
        try {
            const outputs = await clock.time("artifacts", () =>
                collectOutputs(stack, recorder, log),
            );
            secrets.push(...outputs);
            tornDown = await destroy(job, clock, log);
            if (lease !== undefined) {
                const held = lease;
                await clock
                    .time("release", () => held.release(tornDown))
                    .catch((err: Error) => log(`boskos: release failed: ${err.message}\n`));
            }
            recorder.write("run-phases.json", clock.json());
            log(clock.table());
        } finally {
            handlers.forEach(([s, handler]) => process.off(s, handler));
            // Last, after every artifact (destroy's log and JUnit, the DevStack's logs collected
            // on destroy, the phases) and whatever a failure on the way wrote.
            scrubArtifacts(recorder, secrets, log);
        }
    }
    if (received !== undefined) {
        return SIGNAL_EXIT[received] ?? 1;
    }
    return passed && tornDown ? 0 : 1;
}

/** Destroys and removes the stack; a failed teardown keeps it, tagged for the janitor. */
async function destroy(job: RunJob, clock: PhaseClock, log: (line: string) => void) {
    const { stack, recorder } = job;
    try {
        await clock.time("destroy", () => runDown(stack, recorder, job.remove));
        return true;
    } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        log(`\n*** TEARDOWN FAILED: stack ${stack.name} is kept for the janitor ***\n${why}\n`);
        await markTeardownFailed(stack, why).catch((e: Error) =>
            log(`could not mark ${stack.name} for the janitor: ${e.message}\n`),
        );
        return false;
    }
}
