import { MAX_TOKEN_TTL_HOURS } from "../../providers/tokens/renewal";
import { checkDnsLabel, checkInteger, checkPattern, Issue } from "../../providers/validation";
import {
    DEFAULT_JOB,
    externalJobName,
    KubevirtciJobOptions,
    prowJobNameRule,
    validateJobOptions,
} from "./jobs";

/** A Prow build cluster: its alias (the jobs' `cluster:` field) and its control-plane size. */
export interface BuildClusterSpec {
    alias: string;
    /** Control-plane nodes, as configured; counted again from the nodes when the cluster is reachable. */
    controlPlaneNodes: number;
}

/** A job using the KubeVirtCI external provider: where its pod runs and which kubeconfig it uses. */
export interface ExternalProviderJob {
    name: string;
    /** The Prow build cluster the job's pod runs on (`cluster:`). */
    cluster: string;
    /** The external cluster's entry in the kubeconfigs secret. */
    secretKey: string;
}

/** KubeVirt's Prow wiring, with the names of KubeVirt's project-infra. */
export interface ProwSettings {
    buildClusters: BuildClusterSpec[];
    /** Where Prow runs job pods on each build cluster. Defaults to kubevirt-prow-jobs. */
    jobsNamespace: string;
    /** Prow's own namespace on its service cluster. Defaults to kubevirt-prow. */
    prowNamespace: string;
    /** The secret holding the merged kubeconfig, and its key. Default kubeconfig and config. */
    kubeconfigSecret: string;
    kubeconfigSecretKey: string;
    /** The merged kubeconfig's current context. Defaults to the first build cluster. */
    defaultCluster: string;
    /** How long each token in Prow's kubeconfig lives, in hours (1-720). Defaults to 72. */
    tokenTtlHours: number;
    /** Clusters offered to KubeVirtCI's external provider, by entry name. */
    externalClusters: string[];
    /** The secret (in the jobs namespace) holding their kubeconfigs. */
    externalSecret: string;
    /** Jobs to check against the clusters and entries above. */
    jobs: ExternalProviderJob[];
    /** How the generated external-provider jobs run. */
    job: KubevirtciJobOptions;
}

export const DEFAULT_PROW: Omit<
    ProwSettings,
    "buildClusters" | "defaultCluster" | "externalClusters"
> = {
    jobsNamespace: "kubevirt-prow-jobs",
    prowNamespace: "kubevirt-prow",
    kubeconfigSecret: "kubeconfig",
    kubeconfigSecretKey: "config",
    tokenTtlHours: 72,
    externalSecret: "kubevirtci-external-kubeconfigs",
    jobs: [],
    job: DEFAULT_JOB,
};

/** The service account Prow uses on each build cluster (project-infra HEAD). */
export const SERVICE_ACCOUNT = "prow-workloads-cluster-automation";
/**
 * The Role of Prow's rights in the jobs namespace, and its RoleBinding. Not project-infra's
 * `kubevirt-prow-workloads-admin`, which binds ClusterRole admin: a binding's role cannot change.
 */
export const POD_ROLE = "kubevirt-prow-workloads-pods";

/** KubeVirt's HA rule (how-to-add-a-prow-cluster.md): Prow misbehaves when a build cluster's API server goes away. */
export const MIN_CONTROL_PLANE_NODES = 3;

/** Every rule the build clusters break; each message names the cluster concerned. */
export function validateBuildClusters(
    clusters: BuildClusterSpec[],
    defaultCluster: string,
    names: Pick<
        ProwSettings,
        | "jobsNamespace"
        | "prowNamespace"
        | "kubeconfigSecret"
        | "kubeconfigSecretKey"
        | "tokenTtlHours"
    >,
): Issue[] {
    const issues: Issue[] = [
        ...checkInteger("tokenTtlHours", names.tokenTtlHours, 1, MAX_TOKEN_TTL_HOURS),
        ...checkDnsLabel("jobsNamespace", names.jobsNamespace),
        ...checkDnsLabel("prowNamespace", names.prowNamespace),
        ...checkDnsLabel("kubeconfigSecret", names.kubeconfigSecret),
        ...checkPattern(
            "kubeconfigSecretKey",
            names.kubeconfigSecretKey,
            SECRET_KEY,
            "a secret key",
        ),
    ];
    if (clusters.length === 0) {
        issues.push({ field: "buildClusters", message: "must list at least one build cluster" });
    }
    const seen = new Set<string>();
    clusters.forEach((c, i) => {
        const field = `buildClusters[${i}]`;
        issues.push(
            ...checkDnsLabel(field, c.alias).map((issue) => ({
                ...issue,
                message: `(cluster ${JSON.stringify(c.alias)}): the alias is not a valid context name: ${issue.message}`,
            })),
        );
        if (seen.has(c.alias)) {
            issues.push({ field, message: `(cluster ${c.alias}): the alias is registered twice` });
        }
        seen.add(c.alias);
        issues.push(...checkHaControlPlane(field, c.alias, c.controlPlaneNodes, "configured"));
    });
    if (clusters.length > 0 && !seen.has(defaultCluster)) {
        issues.push({
            field: "defaultCluster",
            message: `${JSON.stringify(defaultCluster)} is not a registered build cluster`,
        });
    }
    return issues;
}

/** The HA rule for one cluster, with where the count comes from ("configured" or "counted"). */
export function checkHaControlPlane(
    field: string,
    alias: string,
    nodes: number,
    source: string,
): Issue[] {
    return nodes >= MIN_CONTROL_PLANE_NODES
        ? []
        : [
              {
                  field,
                  message: `(cluster ${alias}): has ${nodes} control-plane nodes (${source}); a build cluster needs an HA control plane of at least ${MIN_CONTROL_PLANE_NODES}`,
              },
          ];
}

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** Every rule the external-provider entries and the jobs break; each names the cluster or job. */
export function validateExternalProvider(
    entries: string[],
    secretName: string,
    jobs: ExternalProviderJob[],
    buildClusters: string[],
): Issue[] {
    const issues: Issue[] = [...checkDnsLabel("externalSecret", secretName)];
    const seen = new Set<string>();
    entries.forEach((name, i) => {
        const keyIssues = checkPattern(`externalClusters[${i}]`, name, SECRET_KEY, "a secret key");
        issues.push(...keyIssues);
        if (seen.has(name)) {
            issues.push({
                field: `externalClusters[${i}]`,
                message: `(cluster ${name}): the entry is listed twice`,
            });
        }
        seen.add(name);
        const rule = prowJobNameRule(externalJobName(name));
        if (keyIssues.length === 0 && rule !== undefined) {
            issues.push({
                field: `externalClusters[${i}]`,
                message: `(cluster ${name}): its job ${externalJobName(name)} is not a valid Prow job name: ${rule}`,
            });
        }
    });
    jobs.forEach((job, i) => {
        const rule = prowJobNameRule(job.name);
        if (rule !== undefined) {
            issues.push({
                field: `jobs[${i}]`,
                message: `(job ${job.name}): not a valid Prow job name: ${rule}`,
            });
        }
        if (!buildClusters.includes(job.cluster)) {
            issues.push({
                field: `jobs[${i}]`,
                message: `(job ${job.name}): cluster ${JSON.stringify(job.cluster)} is not a registered build cluster`,
            });
        }
        if (!seen.has(job.secretKey)) {
            issues.push({
                field: `jobs[${i}]`,
                message: `(job ${job.name}): secret key ${JSON.stringify(job.secretKey)} is not in ${secretName}`,
            });
        }
    });
    return issues;
}

/** Every rule the Prow wiring breaks; each message names the cluster or job concerned. */
export function validateProw(s: ProwSettings): Issue[] {
    return [
        ...validateBuildClusters(s.buildClusters, s.defaultCluster, s),
        ...validateExternalProvider(
            s.externalClusters,
            s.externalSecret,
            s.jobs,
            s.buildClusters.map((c) => c.alias),
        ),
        ...validateJobOptions(s.job),
    ];
}
