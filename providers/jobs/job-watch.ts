import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { changedKeys } from "../dynamic";
import { jobPodsCommand, writeJobArtifacts } from "./artifacts";
import { isNotFound, withKubectl } from "./kubectl";
import { failureMessage, JobObject, jobOutcome, PodObject } from "./outcome";

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
    /** Defaults to 2. */
    pollSeconds?: pulumi.Input<number>;
    /** Where under $ARTIFACTS, when it is set, the Job's status and its pods' logs go. */
    artifactsDir: pulumi.Input<string>;
    /** Values masked in the artifacts (secrets). */
    redactions?: pulumi.Input<pulumi.Input<string>[]>;
}

interface WatchInputs {
    kubeconfig: string;
    namespace: string;
    job: string;
    uid: string;
    timeoutSeconds: number;
    pollSeconds: number;
    artifactsDir: string;
    redactions: string[];
}

interface WatchOutputs extends WatchInputs {
    succeeded: number;
    completionTime: string;
}

type Kubectl = (args: string[]) => Promise<string>;

async function getJob(kubectl: Kubectl, w: WatchInputs): Promise<JobObject> {
    return JSON.parse(
        await kubectl(["get", "job", w.job, "--namespace", w.namespace, "-o", "json"]),
    ) as JobObject;
}

/**
 * Polls the Job until it ends or the timeout passes, writes the artifacts when $ARTIFACTS is
 * set, and fails with the Job's reason unless it completed.
 */
async function watch(w: WatchInputs): Promise<WatchOutputs> {
    return withKubectl(w.kubeconfig, async (kubectl) => {
        const deadline = Date.now() + w.timeoutSeconds * 1000;
        let job = await getJob(kubectl, w);
        let outcome = jobOutcome(job);
        while (outcome.state === "running" && Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, w.pollSeconds * 1000));
            job = await getJob(kubectl, w);
            outcome = jobOutcome(job);
        }
        const artifacts = process.env.ARTIFACTS;
        const jobRef = { namespace: w.namespace, name: w.job };
        const written = artifacts
            ? await writeJobArtifacts(path.join(artifacts, w.artifactsDir), kubectl, jobRef, [
                  w.kubeconfig,
                  ...w.redactions,
              ])
            : undefined;
        const where = `Job ${w.namespace}/${w.job}`;
        if (outcome.state === "running") {
            throw new Error(`${where} did not end within ${w.timeoutSeconds} seconds`);
        }
        if (outcome.state === "failed") {
            const pods =
                written ??
                (JSON.parse(await kubectl(jobPodsCommand(jobRef))) as { items: PodObject[] }).items;
            throw new Error(failureMessage(job, outcome.reason, outcome.message, pods));
        }
        return { ...w, succeeded: outcome.succeeded, completionTime: outcome.completionTime };
    });
}

const provider: pulumi.dynamic.ResourceProvider = {
    async check(_olds: unknown, news: WatchInputs) {
        const failures =
            typeof news.timeoutSeconds === "number" && news.timeoutSeconds > 0
                ? []
                : [{ property: "timeoutSeconds", reason: "must be a positive number of seconds" }];
        return { inputs: news, failures };
    },

    async diff(_id: string, olds: WatchOutputs, news: WatchInputs) {
        const replaces = changedKeys<WatchInputs>(olds, news, ["namespace", "job", "uid"]);
        const changes = changedKeys<WatchInputs>(olds, news, [
            "kubeconfig",
            "timeoutSeconds",
            "pollSeconds",
            "artifactsDir",
            "redactions",
        ]);
        return { changes: replaces.length + changes.length > 0, replaces };
    },

    async create(inputs: WatchInputs) {
        const outs = await watch(inputs);
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
