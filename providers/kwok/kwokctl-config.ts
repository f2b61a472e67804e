import * as yaml from "js-yaml";

/** The components of a binary-runtime kwok cluster that listen on a port of their own. */
export const COMPONENT_PORTS = [
    "kubeApiserverPort",
    "etcdPort",
    "etcdPeerPort",
    "kubeControllerManagerPort",
    "kubeSchedulerPort",
    "kwokControllerPort",
] as const;

export type ComponentPorts = Record<(typeof COMPONENT_PORTS)[number], number>;

/** Absolute paths of the pinned binaries a cluster runs. */
export interface ClusterBinaries {
    kubeApiserver: string;
    kubeControllerManager: string;
    kubeScheduler: string;
    kubectl: string;
    etcd: string;
    kwokController: string;
}

/**
 * Memory at rest, traded for a little CPU: each component collects garbage sooner (GOGC) and
 * softly caps its heap (GOMEMLIMIT); the API server keeps no watch cache (every list is read
 * from etcd, cheap for clusters this small) and no priority-and-fairness queues. Measured in
 * bench/: about 500 MB of RSS per idle cluster instead of 610 MB. The controller-manager holds
 * its leader lease (`kube-system/kube-controller-manager`) as on a real cluster, which is how a
 * Job watch tells that no controller-manager runs; its renewals get more slack than upstream's
 * 15 s for a loaded machine, and the stack's supervisor restarts it if it loses the lease
 * anyway. The scheduler, alone in its cluster, elects no leader.
 */
const COMPONENT_TUNING: { name: string; memoryLimit?: string; args?: Record<string, string> }[] = [
    {
        name: "kube-apiserver",
        memoryLimit: "160MiB",
        args: { "watch-cache": "false", "enable-priority-and-fairness": "false" },
    },
    {
        name: "kube-controller-manager",
        memoryLimit: "64MiB",
        args: {
            "leader-elect-lease-duration": "20s",
            "leader-elect-renew-deadline": "15s",
            "leader-elect-retry-period": "3s",
        },
    },
    { name: "kube-scheduler", memoryLimit: "40MiB", args: { "leader-elect": "false" } },
    { name: "kwok-controller", memoryLimit: "40MiB" },
    { name: "etcd" },
];

function componentsPatches() {
    return COMPONENT_TUNING.map((c) => ({
        name: c.name,
        extraEnvs: [
            { name: "GOGC", value: "25" },
            ...(c.memoryLimit ? [{ name: "GOMEMLIMIT", value: c.memoryLimit }] : []),
        ],
        ...(c.args
            ? { extraArgs: Object.entries(c.args).map(([key, value]) => ({ key, value })) }
            : {}),
    }));
}

/**
 * kwokctl's configuration for one cluster: the binary runtime with the pinned binaries (nothing
 * downloaded), every port chosen by us (kwokctl's own probing races between concurrent
 * creates), loopback only, RBAC on (Prow checks its rights), components tuned for memory,
 * then the Stage documents.
 */
export function kwokctlConfiguration(
    ports: ComponentPorts,
    binaries: ClusterBinaries,
    kubeVersion: string,
    stages: string[],
): string {
    const configuration = {
        apiVersion: "config.kwok.x-k8s.io/v1alpha1",
        kind: "KwokctlConfiguration",
        options: {
            runtime: "binary",
            kubeVersion,
            bindAddress: "127.0.0.1",
            securePort: true,
            kubeAuthorization: true,
            kubeAdmission: true,
            ...ports,
            kubeApiserverBinary: binaries.kubeApiserver,
            kubeControllerManagerBinary: binaries.kubeControllerManager,
            kubeSchedulerBinary: binaries.kubeScheduler,
            kubectlBinary: binaries.kubectl,
            etcdBinary: binaries.etcd,
            kwokControllerBinary: binaries.kwokController,
        },
        componentsPatches: componentsPatches(),
    };
    return [yaml.dump(configuration), ...stages].map((doc) => doc.trim()).join("\n---\n") + "\n";
}
