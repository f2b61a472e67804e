/**
 * One local cluster serving as a Prow build cluster and as Prow's service cluster, and the
 * registration on it, when `register` is set; `sharedObjects` and `tokenTtlHours` as the test
 * sets them at each step.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { LocalKubernetes } from "../../../components/local";
import { kubernetesProvider } from "../../../stacks/prow";
import { BuildClusterRegistration, DEFAULT_PROW, SharedObjects } from "../../../components/prow";

const config = new pulumi.Config();
const cluster = new LocalKubernetes("prow-rbac", {
    stackDir: config.require("stackDir"),
    nodes: { controlPlane: 1, workers: 0 },
});

// As the stack's registration has it: Secrets updated in place.
const provider = kubernetesProvider("prow-rbac", cluster.kubeconfig, true);

let registration: BuildClusterRegistration | undefined;
if (config.requireBoolean("register")) {
    const prowNamespace = new k8s.core.v1.Namespace(
        "prow-namespace",
        { metadata: { name: DEFAULT_PROW.prowNamespace } },
        { provider },
    );
    registration = new BuildClusterRegistration("prow-build-clusters", {
        // The configured count the HA rule checks; the stack counts real nodes, not this program.
        clusters: [
            {
                alias: "prow-workloads",
                kubeconfig: cluster.kubeconfig,
                provider,
                controlPlaneNodes: 3,
            },
        ],
        settings: {
            ...DEFAULT_PROW,
            defaultCluster: "prow-workloads",
            tokenTtlHours: config.requireNumber("tokenTtlHours"),
        },
        prowProvider: provider,
        prowNamespace,
        sharedObjects: config.require("sharedObjects") as SharedObjects,
    });
}

export const adminKubeconfigFile = cluster.kubeconfigFile;
export const prowKubeconfig = registration?.kubeconfig;
export const tokenExpiresAt = registration?.tokens["prow-workloads"].expiresAt;
