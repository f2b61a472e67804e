import { sha256 } from "../providers/files/atomic";

/**
 * Who created an object, so janitors can sweep what a failed teardown leaves: Prow's job
 * identity (JOB_NAME, BUILD_ID, PROW_JOB_ID, PULL_NUMBER) and how long the object may live.
 */
export interface RunIdentity {
    /** The Pulumi stack, one per CI run. */
    stack: string;
    jobName: string;
    buildId: string;
    prowJobId: string;
    /** The pull request a presubmit tests; empty for periodics and postsubmits. */
    pullNumber: string;
    ttlHours: number;
}

/** A GCP label value: lowercase letters, digits, '_' and '-', at most 63 characters. */
export function gcpLabelValue(text: string): string {
    return text
        .toLowerCase()
        .replace(/[^a-z0-9_-]+/g, "-")
        .slice(0, 63);
}

/** Labels for every GCP object that takes labels. Empty identity fields are left out. */
export function gcpLabels(run: RunIdentity): Record<string, string> {
    const labels: Record<string, string> = {
        "created-by": "k8s-ci-envs",
        "k8s-ci-envs-stack": gcpLabelValue(run.stack),
        "ttl-hours": String(run.ttlHours),
    };
    const prow: [string, string][] = [
        ["prow-job", run.jobName],
        ["prow-build", run.buildId],
        ["prow-job-id", run.prowJobId],
        ["prow-pull", run.pullNumber],
    ];
    for (const [key, value] of prow) {
        if (value !== "") {
            labels[key] = gcpLabelValue(value);
        }
    }
    return labels;
}

/** The same identity as text, for objects that take a description but no labels. */
export function runDescription(run: RunIdentity): string {
    return Object.entries(gcpLabels(run))
        .map(([k, v]) => `${k}=${v}`)
        .join(" ");
}

/** A short digest of `text` that keeps names derived from different texts apart. */
export function shortHash(text: string): string {
    return sha256(text).slice(0, 8);
}
