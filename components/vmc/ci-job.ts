import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { JobWatch } from "../../providers/jobs/job-watch";
import { checkImage, checkInteger, Issue } from "../../providers/validation";
import { CI_JOB, INNER_SECRET_KEYS } from "./names";
import { refuseIssues } from "../common/refuse-issues";

/** Labels and annotations for the Job's pods (the local stack's failure switch). */
export interface PodMetadata {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
}

export interface CiJobArgs {
    /** The bootstrap cluster: its provider and a kubeconfig (a secret) to watch the Job with. */
    provider: k8s.Provider;
    kubeconfig: pulumi.Input<string>;
    /** The inner secret the Job takes its environment and keys from (same namespace). */
    secretName: pulumi.Input<string>;
    /** Defaults to `default`, as CAPV's bootstrap_job.template. */
    namespace?: pulumi.Input<string>;
    image: string;
    command: string[];
    /** How long `up` waits for the Job to end. */
    timeoutSeconds: number;
    /** Labels of the run, on the Job and its pods. */
    labels?: Record<string, string>;
    /** Extra metadata of the Job's pods. */
    podMetadata?: PodMetadata;
    /** Values masked in the artifacts (secrets). */
    redactions?: pulumi.Input<pulumi.Input<string>[]>;
}

/** Where, in the container, the inner secret's keys are mounted (mode 0400). */
export const SECRET_MOUNT = "/root/ci-secret";

/** Every rule the args break, named by arg. */
export function validateCiJobArgs(
    args: Pick<CiJobArgs, "image" | "command" | "timeoutSeconds">,
): Issue[] {
    return [
        ...checkImage("image", args.image),
        ...(args.command.length === 0 || args.command.some((c) => c === "")
            ? [{ field: "command", message: "must be a non-empty list of non-empty words" }]
            : []),
        ...checkInteger("timeoutSeconds", args.timeoutSeconds, 10, 86400),
    ];
}

/** `provider-component-spec` as its environment variable, `PROVIDER_COMPONENT_SPEC`. */
export const envName = (key: string) => key.toUpperCase().replace(/-/g, "_");

/**
 * CAPV's inner Job (scripts/e2e/hack/job.yml): backoffLimit 4, restartPolicy Never, tolerating the control-plane taint
 * (both its names), privileged with the host's docker socket and /dev, the inner secret's keys
 * as environment and mounted with mode 0400. pulumi-kubernetes does not await it: JobWatch does.
 */
export function ciJobSpec(args: {
    namespace: string;
    secretName: string;
    image: string;
    command: string[];
    labels: Record<string, string>;
    podMetadata: PodMetadata;
}) {
    return {
        metadata: {
            name: CI_JOB,
            namespace: args.namespace,
            labels: args.labels,
            annotations: { "pulumi.com/skipAwait": "true" },
        },
        spec: {
            backoffLimit: 4,
            template: {
                metadata: {
                    labels: { ...args.labels, ...args.podMetadata.labels },
                    annotations: args.podMetadata.annotations ?? {},
                },
                spec: {
                    restartPolicy: "Never",
                    tolerations: [
                        "node-role.kubernetes.io/master",
                        "node-role.kubernetes.io/control-plane",
                    ].map((key) => ({ key, operator: "Exists", effect: "NoSchedule" })),
                    containers: [
                        {
                            name: CI_JOB,
                            image: args.image,
                            imagePullPolicy: "IfNotPresent",
                            command: args.command,
                            securityContext: { privileged: true },
                            env: INNER_SECRET_KEYS.map((key) => ({
                                name: envName(key),
                                valueFrom: { secretKeyRef: { name: args.secretName, key } },
                            })),
                            volumeMounts: [
                                { name: "ci-secret", mountPath: SECRET_MOUNT, readOnly: true },
                                { name: "docker-sock", mountPath: "/var/run/docker.sock" },
                                { name: "dev", mountPath: "/dev" },
                            ],
                        },
                    ],
                    volumes: [
                        {
                            name: "ci-secret",
                            secret: { secretName: args.secretName, defaultMode: 0o400 },
                        },
                        {
                            name: "docker-sock",
                            hostPath: { path: "/var/run/docker.sock", type: "Socket" },
                        },
                        { name: "dev", hostPath: { path: "/dev", type: "Directory" } },
                    ],
                },
            },
        },
    };
}

/**
 * The CI Job `cluster-api-provider-vsphere-ci` on the bootstrap cluster, watched to its end:
 * `up` ends when it has completed, and fails with the Job's reason when it failed or did not end
 * within the timeout. Its status and its pods' logs go to $ARTIFACTS/vmc/ci-job when set.
 */
export class CiJob extends pulumi.ComponentResource {
    public readonly job: k8s.batch.v1.Job;
    public readonly jobName: pulumi.Output<string>;
    public readonly namespace: pulumi.Output<string>;
    /** Pods that succeeded, once the Job completed. */
    public readonly succeeded: pulumi.Output<number>;

    constructor(name: string, args: CiJobArgs, opts?: pulumi.ComponentResourceOptions) {
        super("k8sci:vmc:CiJob", name, {}, opts);
        const issues = validateCiJobArgs(args);
        refuseIssues(this, name, issues);
        const spec = pulumi
            .all([args.namespace ?? "default", args.secretName])
            .apply(([namespace, secretName]) =>
                ciJobSpec({
                    namespace,
                    secretName,
                    image: args.image,
                    command: args.command,
                    labels: args.labels ?? {},
                    podMetadata: args.podMetadata ?? {},
                }),
            );
        this.job = new k8s.batch.v1.Job(
            `${name}-job`,
            { metadata: spec.metadata, spec: spec.spec },
            { parent: this, provider: args.provider, deleteBeforeReplace: true },
        );
        this.jobName = this.job.metadata.name;
        this.namespace = this.job.metadata.namespace;
        const watch = new JobWatch(
            `${name}-watch`,
            {
                kubeconfig: pulumi.secret(args.kubeconfig),
                namespace: this.namespace,
                job: this.jobName,
                uid: this.job.metadata.uid,
                timeoutSeconds: args.timeoutSeconds,
                artifactsDir: "vmc/ci-job",
                redactions: args.redactions,
            },
            { parent: this },
        );
        this.succeeded = watch.succeeded;
        this.registerOutputs({
            jobName: this.jobName,
            namespace: this.namespace,
            succeeded: this.succeeded,
        });
    }
}
