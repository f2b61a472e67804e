import * as yaml from "js-yaml";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { formatIssues } from "../../providers/validation";
import { ExternalProviderJob, validateExternalProvider } from "./settings";

/** The image KubeVirt's external-provider jobs run (the seed's periodic). */
export const BOOTSTRAP_IMAGE = "quay.io/kubevirtci/bootstrap:v20210311-09ebaa2";

/** Where a job's pod finds the external cluster's kubeconfig. */
export function kubeconfigMountPath(secretKey: string): string {
    return `/etc/kubevirtci/${secretKey}`;
}

/**
 * The part of a Prow job that runs KubeVirtCI against an external cluster: KUBEVIRT_PROVIDER
 * set to external, and KUBECONFIG pointing at the cluster's kubeconfig, mounted read-only
 * (0400) from its entry in the kubeconfigs secret. Prow schedules the pod on `cluster`.
 */
export function externalJobFragment(job: ExternalProviderJob, secretName: string, image: string) {
    const volume = `kubevirtci-${job.secretKey}`
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, "-")
        .slice(0, 63);
    return {
        name: job.name,
        cluster: job.cluster,
        decorate: true,
        spec: {
            containers: [
                {
                    image,
                    // As the seed's external-provider periodic, which builds images.
                    securityContext: { privileged: true },
                    env: [
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
                        secretName,
                        items: [{ key: job.secretKey, path: "kubeconfig" }],
                        defaultMode: 0o400,
                    },
                },
            ],
        },
    };
}

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
    /** A job fragment (YAML) per external cluster, by entry name. */
    public readonly jobFragments: Record<string, string>;

    constructor(
        name: string,
        args: KubevirtciExternalProviderArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("k8sci:prow:KubevirtciExternalProvider", name, {}, opts);
        const buildClusters = Object.keys(args.buildClusters);
        const issues = validateExternalProvider(
            args.clusters.map((c) => c.name),
            args.secretName,
            args.jobs,
            buildClusters,
        );
        if (!buildClusters.includes(args.jobCluster)) {
            issues.push({
                field: "jobCluster",
                message: `${JSON.stringify(args.jobCluster)} is not a registered build cluster`,
            });
        }
        if (issues.length > 0) {
            throw new pulumi.ResourceError(
                formatIssues(issues, (f) => `${name}: ${f}`),
                this,
            );
        }

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
                    { parent: this, provider: args.buildClusters[cluster].provider },
                ),
            ]),
        );
        this.jobFragments = Object.fromEntries(
            args.clusters.map((c) => {
                const job = {
                    name: `kubevirtci-external-${c.name}`,
                    cluster: args.jobCluster,
                    secretKey: c.name,
                };
                const fragment = externalJobFragment(
                    job,
                    args.secretName,
                    args.image ?? BOOTSTRAP_IMAGE,
                );
                return [c.name, yaml.dump(fragment, { lineWidth: -1 })];
            }),
        );

        this.registerOutputs({ jobFragments: this.jobFragments });
    }
}
