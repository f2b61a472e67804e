import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { changedKeys } from "../dynamic";
import { jobPodsCommand, writeJobArtifacts } from "./artifacts";
import { isCancelled, pause } from "./cancellation";
import { controllerManagerProblem } from "./controller-manager";
import { getRaw, isNotFound, Kubectl, namespaced, withKubectl } from "./kubectl";
import { EventObject, madePods, noPodMessage } from "./liveness";
import { failureMessage, JobObject, JobOutcome, jobOutcome, PodObject } from "./outcome";

export interface JobWatchArgs {
    /** A kubeconfig of the Job's cluster (a secret). */
    kubeconfig: pulumi.Input<string>;
    namespace: pulumi.Input<string>;
    /** The Job's name. */
    job: pulumi.Input<string>;
    /** The Job's uid: a new Job is watched anew. */
    uid: pulumi.Input<string>;
    /** How long the Job may take to end. */
    timeoutSeconds: pulumi.Input<number>;
    /**
     * How long the Job may have no pod once the watch began (right after the Job's creation)
     * before the watch fails. Defaults to 60, for a loaded machine's controller-manager.
     */
    podTimeoutSeconds?: pulumi.Input<number>;
    /** Defaults to 2. */
    pollSeconds?: pulumi.Input<number>;
    /** Where under $ARTIFACTS, when it is set, the Job's status and its pods' logs go. */
    artifactsDir: pulumi.Input<string>;
    /** Values masked in the artifacts (secrets). */
    redactions?: pulumi.Input<pulumi.Input<string>[]>;
}

export interface WatchInputs {
    kubeconfig: string;
    namespace: string;
    job: string;
    uid: string;
    timeoutSeconds: number;
    podTimeoutSeconds: number;
    pollSeconds: number;
    artifactsDir: string;
    redactions: string[];
}

interface WatchOutputs extends WatchInputs {
    succeeded: number;
    completionTime: string;
}

/** How often the watch reads the controller-manager's leader Lease. */
const LEASE_CHECK_MS = 10_000;

function getJob(kubectl: Kubectl, w: Pick<WatchInputs, "namespace" | "job">): Promise<JobObject> {
    return getRaw(kubectl, namespaced("/apis/batch/v1", w.namespace, "jobs", w.job));
}

async function jobPods(kubectl: Kubectl, w: WatchInputs): Promise<PodObject[]> {
    const pods = namespaced("/api/v1", w.namespace, "pods");
    const selector = encodeURIComponent(`job-name=${w.job}`);
    return (await getRaw<{ items: PodObject[] }>(kubectl, `${pods}?labelSelector=${selector}`))
        .items;
}

async function jobEvents(kubectl: Kubectl, job: JobObject): Promise<EventObject[]> {
    const events = namespaced("/api/v1", job.metadata.namespace ?? "default", "events");
    const selector = encodeURIComponent(`involvedObject.uid=${job.metadata.uid ?? ""}`);
    return getRaw<{ items: EventObject[] }>(kubectl, `${events}?fieldSelector=${selector}`)
        .then((list) => list.items)
        .catch(() => []);
}

/** Where the watch stopped: the Job's end, or why it stopped before. */
type Followed =
    | { job: JobObject; ended: Exclude<JobOutcome, { state: "running" }> }
    | { job: JobObject; stopped: string };

/**
 * Polls the Job until it ends, or the timeout passes, or it cannot end (no controller-manager
 * runs, or it has no pod podTimeoutSeconds in), or the run is cancelled (cancellation.ts).
 */
async function follow(kubectl: Kubectl, w: WatchInputs): Promise<Followed> {
    const where = `Job ${w.namespace}/${w.job}`;
    const started = Date.now();
    let leaseDue = started;
    let job = await getJob(kubectl, w);
    for (;;) {
        const outcome = jobOutcome(job);
        const now = Date.now();
        if (outcome.state !== "running") {
            return { job, ended: outcome };
        }
        if (now >= started + w.timeoutSeconds * 1000) {
            return { job, stopped: `${where} did not end within ${w.timeoutSeconds} seconds` };
        }
        if (now >= leaseDue) {
            leaseDue = now + LEASE_CHECK_MS;
            const down = await controllerManagerProblem(kubectl, now);
            if (down !== undefined) {
                return { job, stopped: `${where} cannot end: ${down}` };
            }
        }
        if (
            now >= started + w.podTimeoutSeconds * 1000 &&
            !madePods(job) &&
            (await jobPods(kubectl, w)).length === 0
        ) {
            const events = await jobEvents(kubectl, job);
            return { job, stopped: noPodMessage(job, w.podTimeoutSeconds, events) };
        }
        try {
            await pause(w.pollSeconds * 1000, `the watch of ${where}`);
        } catch (err) {
            if (isCancelled(err)) {
                return { job, stopped: err.message };
            }
            throw err;
        }
        job = await getJob(kubectl, w);
    }
}

/**
 * Watches the Job to its end (follow), writes the artifacts when $ARTIFACTS is set, and fails
 * with the Job's reason, or why the watch stopped, unless it completed.
 */
export async function watchJob(w: WatchInputs): Promise<WatchOutputs> {
    return withKubectl(w.kubeconfig, async (kubectl) => {
        const followed = await follow(kubectl, w);
        const artifacts = process.env.ARTIFACTS;
        const jobRef = { namespace: w.namespace, name: w.job };
        const written = artifacts
            ? await writeJobArtifacts(path.join(artifacts, w.artifactsDir), kubectl, jobRef, [
                  w.kubeconfig,
                  ...w.redactions,
              ])
            : undefined;
        if ("stopped" in followed) {
            throw new Error(followed.stopped);
        }
        const { job, ended } = followed;
        if (ended.state === "failed") {
            const pods =
                written ??
                (JSON.parse(await kubectl(jobPodsCommand(jobRef))) as { items: PodObject[] }).items;
            throw new Error(failureMessage(job, ended.reason, ended.message, pods));
        }
        return { ...w, succeeded: ended.succeeded, completionTime: ended.completionTime };
    });
}

const provider: pulumi.dynamic.ResourceProvider = {
    async check(_olds: unknown, news: WatchInputs) {
        const failures = (["timeoutSeconds", "podTimeoutSeconds"] as const)
            .filter((p) => !(typeof news[p] === "number" && news[p] > 0))
            .map((property) => ({ property, reason: "must be a positive number of seconds" }));
        return { inputs: news, failures };
    },

    async diff(_id: string, olds: WatchOutputs, news: WatchInputs) {
        const replaces = changedKeys<WatchInputs>(olds, news, ["namespace", "job", "uid"]);
        const changes = changedKeys<WatchInputs>(olds, news, [
            "kubeconfig",
            "timeoutSeconds",
            "podTimeoutSeconds",
            "pollSeconds",
            "artifactsDir",
            "redactions",
        ]);
        return { changes: replaces.length + changes.length > 0, replaces };
    },

    async create(inputs: WatchInputs) {
        const outs = await watchJob(inputs);
        return { id: `${inputs.namespace}/${inputs.job}/${inputs.uid}`, outs };
    },

    /** A Job gone (or replaced by hand) reads as gone, so refresh drops its watch too. */
    async read(id: string, props: WatchOutputs) {
        try {
            const job = await withKubectl(props.kubeconfig, (kubectl) => getJob(kubectl, props));
            return job.metadata.uid === props.uid ? { id, props } : {};
        } catch (err) {
            if (isNotFound(err)) {
                return {};
            }
            throw err;
        }
    },

    async update(_id: string, olds: WatchOutputs, news: WatchInputs) {
        return { outs: { ...olds, ...news } };
    },
};

/**
 * Watches a Kubernetes Job to its end, through the cluster's API with the pinned kubectl:
 * created once the Job has completed; fails, with the Job's reason and its pods' failures, when
 * the Job fails or does not end within the timeout. The Job's status and its pods' logs go to
 * $ARTIFACTS when it is set. Deleting the watch leaves the Job to its own resource.
 */
export class JobWatch extends pulumi.dynamic.Resource {
    public readonly succeeded!: pulumi.Output<number>;
    public readonly completionTime!: pulumi.Output<string>;

    constructor(name: string, args: JobWatchArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            provider,
            name,
            {
                ...args,
                podTimeoutSeconds: args.podTimeoutSeconds ?? 60,
                pollSeconds: args.pollSeconds ?? 2,
                redactions: args.redactions ?? [],
                succeeded: undefined,
                completionTime: undefined,
            },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["kubeconfig", "redactions"] }),
            "jobs",
            "JobWatch",
        );
    }
}
