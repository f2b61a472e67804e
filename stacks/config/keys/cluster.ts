import { KeySpec } from "./spec";

/** The workload cluster the variables describe (CAPV's EnvVar spec.cluster). */
export const CLUSTER_SPECS = {
    clusterName: {
        type: "string",
        default: "cluster1",
        description: "Workload cluster name (a DNS label); also names its control-plane endpoint.",
        fills: "cluster.name",
    },
    clusterNamespace: {
        type: "string",
        default: "default",
        description: "Namespace of the workload cluster (a DNS label).",
        fills: "cluster.namespace",
    },
    kubernetesVersion: {
        type: "string",
        default: "v1.28.0",
        description:
            "Kubernetes version of the workload cluster; a machine template must end in it.",
        fills: "cluster.kubernetesVersion",
    },
    controlPlaneMachineCount: {
        type: "integer",
        default: 1,
        description: "Control-plane machines (1-9).",
        fills: "cluster.controlPlaneMachines",
    },
    workerMachineCount: {
        type: "integer",
        default: 1,
        description: "Worker machines (0-100).",
        fills: "cluster.workerMachines",
    },
    powerOffMode: {
        type: "string",
        default: "trySoft",
        description: "How CAPV powers machines off (hard, soft, trySoft).",
        fills: "cluster.powerOffMode",
    },
    clusterDatacenter: {
        type: "integer",
        default: 0,
        description: "Index of the datacenter the cluster goes to.",
        fills: "cluster.datacenter",
    },
    clusterComputeCluster: {
        type: "integer",
        default: 0,
        description: "Index of the compute cluster (in that datacenter) the cluster goes to.",
        fills: "cluster.cluster",
    },
    clusterDatastore: {
        type: "integer",
        default: 0,
        description: "Index of the datastore (in that datacenter) the cluster uses.",
        fills: "cluster.datastore",
    },
} satisfies Record<string, KeySpec>;
