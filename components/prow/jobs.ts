/**
 * KubeVirtCI's external-provider jobs as complete Prow jobs: each fragment is a job config file
 * that Prow's `checkconfig --strict` accepts as it is (test/unit/prow/checkconfig.test.ts).
 */
import * as yaml from "js-yaml";
import { checkOneOf, checkPattern, Issue } from "../../providers/validation";
import type { ExternalProviderJob } from "./settings";

export type JobType = "periodic" | "presubmit";
export const JOB_TYPES: readonly JobType[] = ["periodic", "presubmit"];

/** How every external-provider job runs: its kind, the repository it tests, when, and what. */
export interface KubevirtciJobOptions {
    type: JobType;
    /** The repository, as ORG/REPO: a presubmit's, or the one a periodic checks out. */
    repo: string;
    /** When a periodic runs (Prow's cron, UTC). */
    cron: string;
    /** What the job runs in the repository's checkout (a shell command line). */
    command: string;
}

/** KubeVirt's external-provider periodic (`periodic-kubevirt-cluster-sync-test-ARM`). */
export const DEFAULT_JOB: KubevirtciJobOptions = {
    type: "periodic",
    repo: "kubevirt/kubevirt",
    cron: "40 4,12,20 * * *",
    command: "automation/test.sh",
};

/** The image KubeVirt's external-provider jobs run (KubeVirt's periodic (kubevirt-periodics.yaml)). */
export const BOOTSTRAP_IMAGE = "quay.io/kubevirtci/bootstrap:v20210311-09ebaa2";
/** The bootstrap image's entry point, which starts Docker before running the job's command. */
const RUNNER = "/usr/local/bin/runner.sh";
/** The branch a periodic checks out. */
const BASE_REF = "main";

/**
 * Prow labels each job's pods with the job's name, so a name is at most a label value's 63
 * characters (checkconfig's `long-job-names`), of the characters Prow's jobNameRegex allows.
 */
export const PROW_JOB_NAME_MAX = 63;
const PROW_JOB_NAME = /^[A-Za-z0-9-._]+$/;

/** Which of Prow's rules a job name breaks, if any. */
export function prowJobNameRule(name: string): string | undefined {
    if (!PROW_JOB_NAME.test(name)) {
        return `Prow's job names must match ${PROW_JOB_NAME.source}`;
    }
    if (name.length > PROW_JOB_NAME_MAX) {
        return `it has ${name.length} characters; Prow's job names have at most ${PROW_JOB_NAME_MAX} (Prow labels the job's pods with it)`;
    }
    return undefined;
}

/** The job a fragment defines for an external cluster's entry in the kubeconfigs secret. */
export function externalJobName(entry: string): string {
    return `kubevirtci-external-${entry}`;
}

/** The job options' rules; each issue's field names its setting (`jobType`, ...). */
export function validateJobOptions(job: KubevirtciJobOptions): Issue[] {
    return [
        ...checkOneOf("jobType", job.type, JOB_TYPES),
        ...checkPattern("jobRepo", job.repo, /^[\w.-]+\/[\w.-]+$/, "a repository as ORG/REPO"),
        ...(job.type === "periodic"
            ? checkPattern(
                  "jobCron",
                  job.cron,
                  /^(@\w+|\S+( +\S+){4})$/,
                  "a cron schedule of five fields (or @daily, ...)",
              )
            : []),
        ...checkPattern("jobCommand", job.command, /\S/, "a command line"),
    ];
}

/** What every job shares: where its pod runs, the kubeconfigs secret, the image, the options. */
export interface ExternalJobContext {
    /** Prow's pod_namespace: the jobs namespace, which holds the kubeconfigs secret. */
    podNamespace: string;
    secretName: string;
    image: string;
    options: KubevirtciJobOptions;
}

/** Where a job's pod finds the external cluster's kubeconfig. */
export function kubeconfigMountPath(secretKey: string): string {
    return `/etc/kubevirtci/${secretKey}`;
}

/**
 * The Prow job, decorated, whose privileged pod runs KubeVirtCI with KUBEVIRT_PROVIDER=external
 * and KUBECONFIG on the cluster's entry, mounted read-only (0400). One run at a time: the
 * external provider has no teardown, so two runs would share the cluster.
 */
export function externalJob(job: ExternalProviderJob, ctx: ExternalJobContext) {
    const volume = `kubevirtci-${job.secretKey}`
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, "-")
        .slice(0, 63);
    return {
        name: job.name,
        cluster: job.cluster,
        // Prow refuses a job whose namespace is not its pod_namespace: this says which it must be.
        namespace: ctx.podNamespace,
        decorate: true,
        // As KubeVirt's periodic (kubevirt-periodics.yaml).
        decoration_config: { timeout: "4h", grace_period: "5m" },
        max_concurrency: 1,
        spec: {
            containers: [
                {
                    image: ctx.image,
                    command: [RUNNER, "/bin/sh", "-c"],
                    args: [ctx.options.command],
                    securityContext: { privileged: true },
                    env: [
                        { name: "TARGET", value: "external" },
                        { name: "KUBEVIRT_PROVIDER", value: "external" },
                        {
                            name: "KUBECONFIG",
                            value: `${kubeconfigMountPath(job.secretKey)}/kubeconfig`,
                        },
                    ],
                    volumeMounts: [
                        {
                            name: volume,
                            mountPath: kubeconfigMountPath(job.secretKey),
                            readOnly: true,
                        },
                    ],
                },
            ],
            volumes: [
                {
                    name: volume,
                    secret: {
                        secretName: ctx.secretName,
                        items: [{ key: job.secretKey, path: "kubeconfig" }],
                        defaultMode: 0o400,
                    },
                },
            ],
        },
    };
}

/** Prow's default trigger for a job, with the name's dots matched literally. */
function triggerFor(name: string): string {
    return `(?m)^/test( | .* )${name.replace(/\./g, "\\.")},?($|\\s.*)`;
}

/**
 * A job config file holding the one job: a periodic that checks out the repository, or a
 * presubmit of the repository, run on request (`/test <name>`).
 */
export function externalJobConfig(job: ExternalProviderJob, ctx: ExternalJobContext) {
    const base = externalJob(job, ctx);
    const [org, repo] = ctx.options.repo.split("/");
    if (ctx.options.type === "periodic") {
        return {
            periodics: [
                {
                    ...base,
                    cron: ctx.options.cron,
                    extra_refs: [{ org, repo, base_ref: BASE_REF, workdir: true }],
                },
            ],
        };
    }
    return {
        presubmits: {
            [ctx.options.repo]: [
                {
                    ...base,
                    always_run: false,
                    optional: true,
                    trigger: triggerFor(job.name),
                    rerun_command: `/test ${job.name}`,
                },
            ],
        },
    };
}

/** The job config file, as YAML, headed by the pod_namespace Prow's own config must carry. */
export function externalJobFragment(job: ExternalProviderJob, ctx: ExternalJobContext): string {
    return (
        `# Prow's config must carry pod_namespace: ${ctx.podNamespace} (where this job's pod runs, beside ${ctx.secretName}).\n` +
        yaml.dump(externalJobConfig(job, ctx), { lineWidth: -1 })
    );
}
