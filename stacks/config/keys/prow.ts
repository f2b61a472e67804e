import { BOOTSTRAP_IMAGE, DEFAULT_JOB } from "../../../components/prow/jobs";
import { DEFAULT_PROW } from "../../../components/prow/settings";
import { KeySpec } from "./spec";

/**
 * KubeVirt's Prow build clusters and KubeVirtCI's external provider. Without the kubeconfigs, the
 * local stack registers fixture clusters.
 */
export const PROW_SPECS = {
    prowBuildClusters: {
        type: "array",
        default: ["prow-workloads=3", "prow-arm64-workloads=3", "prow-s390x-workloads=3"],
        description:
            "Prow build clusters as ALIAS=CONTROL_PLANE_NODES; each needs an HA control plane of 3 or more.",
        fills: "prow.buildClusters",
    },
    prowDefaultCluster: {
        type: "string",
        default: "",
        description:
            "The merged kubeconfig's current context, where external-provider jobs run; defaults to the first build cluster.",
        fills: "prow.defaultCluster",
    },
    prowJobsNamespace: {
        type: "string",
        default: DEFAULT_PROW.jobsNamespace,
        description: "Where Prow runs job pods on each build cluster.",
        fills: "prow.jobsNamespace",
    },
    prowNamespace: {
        type: "string",
        default: DEFAULT_PROW.prowNamespace,
        description: "Prow's namespace on its service cluster, holding the kubeconfig secret.",
        fills: "prow.prowNamespace",
    },
    prowKubeconfigSecret: {
        type: "string",
        default: DEFAULT_PROW.kubeconfigSecret,
        description: "The secret Prow's components mount as /etc/kubeconfig.",
        fills: "prow.kubeconfigSecret",
    },
    prowKubeconfigSecretKey: {
        type: "string",
        default: DEFAULT_PROW.kubeconfigSecretKey,
        description: "The key of the merged kubeconfig in that secret.",
        fills: "prow.kubeconfigSecretKey",
    },
    prowTokenTtlHours: {
        type: "integer",
        default: DEFAULT_PROW.tokenTtlHours,
        description:
            "Hours each token in Prow's kubeconfig lives (1-720); every up renews one past half of that.",
        fills: "prow.tokenTtlHours",
    },
    kubevirtciClusters: {
        type: "array",
        default: ["prow-workloads", "prow-arm64-workloads", "prow-s390x-workloads"],
        description:
            "Clusters offered to KubeVirtCI's external provider, by entry name in the kubeconfigs secret.",
        fills: "prow.externalClusters",
    },
    kubevirtciSecret: {
        type: "string",
        default: DEFAULT_PROW.externalSecret,
        description:
            "The secret, in the jobs namespace, holding the external clusters' kubeconfigs.",
        fills: "prow.externalSecret",
    },
    kubevirtciJobs: {
        type: "array",
        default: [],
        description: "Jobs to check, as JOB=SECRET_KEY@CLUSTER; each key and cluster must exist.",
        fills: "prow.jobs",
    },
    kubevirtciImage: {
        type: "string",
        default: BOOTSTRAP_IMAGE,
        description: "The image of the generated external-provider job fragments.",
        fills: "prow.image",
    },
    kubevirtciJobType: {
        type: "string",
        default: DEFAULT_JOB.type,
        description:
            "What the generated external-provider jobs are: periodic (as the seed's) or presubmit (run on request, /test <name>).",
        fills: "prow.jobType",
    },
    kubevirtciJobRepo: {
        type: "string",
        default: DEFAULT_JOB.repo,
        description:
            "The repository the generated jobs test, as ORG/REPO: a presubmit's, or the one a periodic checks out.",
        fills: "prow.jobRepo",
    },
    kubevirtciJobCron: {
        type: "string",
        default: DEFAULT_JOB.cron,
        description: "When the generated periodics run (Prow's cron, UTC).",
        fills: "prow.jobCron",
    },
    kubevirtciJobCommand: {
        type: "string",
        default: DEFAULT_JOB.command,
        description:
            "What the generated jobs run in the repository's checkout, through the bootstrap image's runner.",
        fills: "prow.jobCommand",
    },
    gpgPublicKey: {
        type: "string",
        default: "",
        description:
            "The automation key kubeconfigs are encrypted to (armored public key); required for ci, generated for local.",
        fills: "prow.gpgPublicKey",
    },
    gpgRecipient: {
        type: "string",
        default: "99F7C0D2E1BB8025",
        description:
            "The key id or fingerprint the automation key must have (the seed's 0xF0C379576ACC7D14 was rotated).",
        fills: "prow.gpgRecipient",
    },
    prowKubeconfigs: {
        secret: true,
        description:
            "Admin kubeconfigs of the build clusters, an object by alias (`--path 'prowKubeconfigs.<alias>'`).",
    },
    kubevirtciKubeconfigs: {
        secret: true,
        description:
            "Admin kubeconfigs of the external-provider clusters, an object by entry name.",
    },
    prowServiceKubeconfig: {
        secret: true,
        description:
            "The Prow service cluster's kubeconfig (ci: required when ciEnvironments lists prow).",
    },
} satisfies Record<string, KeySpec>;
