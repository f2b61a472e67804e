import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
    BOOTSTRAP_IMAGE,
    DEFAULT_JOB,
    externalJobFragment,
    externalJobName,
    KubevirtciJobOptions,
    validateJobOptions,
} from "./jobs";
import { outlivesStack, SharedObjects } from "./lifecycle";
import { DEFAULT_PROW, ExternalProviderJob, validateExternalProvider } from "./settings";
import { refuseIssues } from "../common/refuse-issues";

/** One external cluster: its entry name in the secret and its admin kubeconfig (a secret). */
export interface ExternalCluster {
    name: string;
    kubeconfig: pulumi.Input<string>;
}

export interface KubevirtciExternalProviderArgs {
    clusters: ExternalCluster[];
    /** The secret, in the jobs namespace, holding one kubeconfig per entry. */
    secretName: string;
    /** The build cluster the fragments' pods run on. */
    jobCluster: string;
    /** Every registered build cluster (jobs may name any), by alias. */
    buildClusters: Record<string, JobsNamespace>;
    /** Jobs beyond the one fragment per cluster; each is checked to name an existing entry. */
    jobs: ExternalProviderJob[];
    image?: string;
    /** How the fragments' jobs run (default: KubeVirt's periodic (kubevirt-periodics.yaml)). */
    job?: KubevirtciJobOptions;
    /** Prow's pod_namespace: the jobs namespace (default kubevirt-prow-jobs). */
    podNamespace?: string;
    /**
     * What `down` does to the secret, which running jobs mount (see lifecycle.ts): `retain` on
     * Prow's real clusters, `delete` on stand-ins the stack makes. Defaults to `retain`.
     */
    sharedObjects?: SharedObjects;
}

/** A build cluster's jobs namespace (BuildClusterRegistration's), and a provider for that cluster. */
export interface JobsNamespace {
    namespace: k8s.core.v1.Namespace;
    provider: k8s.Provider;
}

/** The build clusters job pods run on, and so mount the secret on: the fragments' and the jobs'. */
function jobClusters(jobCluster: string, jobs: ExternalProviderJob[]): string[] {
    return [...new Set([jobCluster, ...jobs.map((j) => j.cluster)])];
}

/**
 * KubeVirtCI's external provider: the kubeconfigs of clusters that jobs test against, in one
 * secret on every build cluster where job pods run, and for each cluster the Prow job fragment
 * that uses it.
 */
export class KubevirtciExternalProvider extends pulumi.ComponentResource {
    /** The kubeconfigs secret, by the build cluster it is on. */
    public readonly secrets: Record<string, k8s.core.v1.Secret>;
    /** A job fragment per external cluster, by entry name: a complete Prow job config file (YAML). */
    public readonly jobFragments: Record<string, string>;

    constructor(
        name: string,
        args: KubevirtciExternalProviderArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("k8sci:prow:KubevirtciExternalProvider", name, {}, opts);
        const buildClusters = Object.keys(args.buildClusters);
        const options = args.job ?? DEFAULT_JOB;
        const issues = [
            ...validateExternalProvider(
                args.clusters.map((c) => c.name),
                args.secretName,
                args.jobs,
                buildClusters,
            ),
            ...validateJobOptions(options),
        ];
        if (!buildClusters.includes(args.jobCluster)) {
            issues.push({
                field: "jobCluster",
                message: `${JSON.stringify(args.jobCluster)} is not a registered build cluster`,
            });
        }
        refuseIssues(this, name, issues);

        const kubeconfigs = pulumi.secret(
            pulumi.all(Object.fromEntries(args.clusters.map((c) => [c.name, c.kubeconfig]))),
        );
        this.secrets = Object.fromEntries(
            jobClusters(args.jobCluster, args.jobs).map((cluster) => [
                cluster,
                new k8s.core.v1.Secret(
                    `${name}-kubeconfigs-${cluster}`,
                    {
                        metadata: {
                            name: args.secretName,
                            namespace: args.buildClusters[cluster].namespace.metadata.name,
                        },
                        type: "Opaque",
                        stringData: kubeconfigs,
                    },
                    {
                        parent: this,
                        provider: args.buildClusters[cluster].provider,
                        ...outlivesStack(args.sharedObjects ?? "retain"),
                    },
                ),
            ]),
        );
        const context = {
            podNamespace: args.podNamespace ?? DEFAULT_PROW.jobsNamespace,
            secretName: args.secretName,
            image: args.image ?? BOOTSTRAP_IMAGE,
            options,
        };
        this.jobFragments = Object.fromEntries(
            args.clusters.map((c) => {
                const job = {
                    name: externalJobName(c.name),
                    cluster: args.jobCluster,
                    secretKey: c.name,
                };
                return [c.name, externalJobFragment(job, context)];
            }),
        );

        this.registerOutputs({ jobFragments: this.jobFragments });
    }
}
