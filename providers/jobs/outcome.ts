/** How a batch/v1 Job ended, read from its status and its pods'. */

interface Condition {
    type: string;
    status: string;
    reason?: string;
    message?: string;
}

export interface JobObject {
    metadata: { name: string; namespace?: string; uid?: string };
    spec?: { suspend?: boolean };
    status?: {
        conditions?: Condition[];
        active?: number;
        ready?: number;
        terminating?: number;
        succeeded?: number;
        failed?: number;
        completionTime?: string;
    };
}

export interface PodObject {
    metadata: { name: string };
    status?: {
        phase?: string;
        containerStatuses?: {
            name: string;
            state?: { terminated?: { exitCode: number; reason?: string; message?: string } };
        }[];
    };
}

export type JobOutcome =
    | { state: "running" }
    | { state: "complete"; succeeded: number; completionTime: string }
    | { state: "failed"; reason: string; message: string };

/**
 * The Job's end, from its conditions: Complete or Failed once true (or SuccessCriteriaMet and
 * FailureTarget, which newer controllers set first); else running.
 */
export function jobOutcome(job: JobObject): JobOutcome {
    const conditions = (job.status?.conditions ?? []).filter((c) => c.status === "True");
    const failed = conditions.find((c) => c.type === "Failed" || c.type === "FailureTarget");
    if (failed) {
        return {
            state: "failed",
            reason: failed.reason ?? "Failed",
            message: failed.message ?? "",
        };
    }
    if (conditions.some((c) => c.type === "Complete" || c.type === "SuccessCriteriaMet")) {
        return {
            state: "complete",
            succeeded: job.status?.succeeded ?? 0,
            completionTime: job.status?.completionTime ?? "",
        };
    }
    return { state: "running" };
}

/** Each failed container of the pods, as `pod <name>: container <c> exited <code> (<reason>)`. */
export function podFailures(pods: PodObject[]): string[] {
    return pods.flatMap((pod) =>
        (pod.status?.containerStatuses ?? []).flatMap((c) => {
            const t = c.state?.terminated;
            if (t === undefined || t.exitCode === 0) {
                return [];
            }
            const why = [t.reason, t.message].filter(Boolean).join(": ");
            return [
                `pod ${pod.metadata.name}: container ${c.name} exited ${t.exitCode}${why ? ` (${why})` : ""}`,
            ];
        }),
    );
}

/** The error a failed Job fails `up` with: the Job's reason, then its pods' failures. */
export function failureMessage(job: JobObject, reason: string, message: string, pods: PodObject[]) {
    const where = `${job.metadata.namespace ?? "default"}/${job.metadata.name}`;
    return [
        `Job ${where} failed: ${reason}${message ? `: ${message}` : ""}`,
        ...podFailures(pods),
    ].join("\n");
}
