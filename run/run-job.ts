/**
 * `k8s-ci-run run`: a Prow job's whole life in one command. Lease (with BOSKOS_HOST), preview,
 * `up` (which waits for the environment's CI Job: `up` succeeds only when it does), collect
 * artifacts, always destroy, release. The exit code is the CI result. SIGINT or SIGTERM (Prow's
 * grace period) aborts the running operation through the Automation API's signal (the CLI gets
 * SIGINT and stops cleanly), then destroys and releases; a second signal changes nothing.
 */
import type { ConfigValue, Stack } from "@pulumi/pulumi/automation";
import { collectArtifacts } from "./collect-artifacts";
import { DEFAULT_RESOURCE_TYPE, Lease, LeaseEnvironment, leasedConfig, leaseOwner } from "./lease";
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
    const log = recorder.log();
    const clock = new PhaseClock();
    const abort = new AbortController();
    let received: NodeJS.Signals | undefined;
    const onSignal = (signal: NodeJS.Signals) => {
        if (received === undefined) {
            received = signal;
            log(`\n${signal}: cancelling the run's update, then destroying and releasing\n`);
            abort.abort(signal);
        } else {
            log(`${signal}: already cancelling\n`);
        }
    };
    const signals = job.signals ?? ["SIGINT", "SIGTERM"];
    signals.forEach((s) => process.on(s, onSignal));

    let lease: Lease | undefined;
    let passed = false;
    let tornDown = false;
    try {
        if (env.BOSKOS_HOST) {
            lease = await clock.time("lease", () =>
                Lease.acquire(
                    env.BOSKOS_HOST!,
                    env.BOSKOS_RESOURCE_TYPE || DEFAULT_RESOURCE_TYPE,
                    leaseOwner(env),
                    log,
                    job.heartbeatMs,
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
        await clock.time("artifacts", () => collectArtifacts(stack, recorder, job.secrets, log));
        try {
            await clock.time("destroy", () => runDown(stack, recorder, job.remove));
            tornDown = true;
        } catch (err) {
            const why = err instanceof Error ? err.message : String(err);
            log(`\n*** TEARDOWN FAILED: stack ${stack.name} is kept for the janitor ***\n${why}\n`);
            await markTeardownFailed(stack, why).catch((e: Error) =>
                log(`could not mark ${stack.name} for the janitor: ${e.message}\n`),
            );
        }
        if (lease !== undefined) {
            const held = lease;
            await clock
                .time("release", () => held.release(tornDown))
                .catch((err: Error) => log(`boskos: release failed: ${err.message}\n`));
        }
        signals.forEach((s) => process.off(s, onSignal));
        recorder.write("run-phases.json", clock.json());
        log(clock.table());
    }
    if (received !== undefined) {
        return SIGNAL_EXIT[received] ?? 1;
    }
    return passed && tornDown ? 0 : 1;
}
