import * as path from "path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { LocalCluster, NodePool } from "../../providers/kwok";
import { SecretFile } from "../../providers/files/secret-file";

export interface LocalKubernetesArgs {
    /** The stack's folder: the cluster and its kubeconfig file live under it. */
    stackDir: string;
    nodes: NodePool;
}

/**
 * A Kubernetes cluster on this machine standing in for a real one (kind on a VM, a Prow
 * cluster): a LocalCluster, and its admin kubeconfig as a secret and a 0600 file
 * `<stackDir>/kubeconfigs/<name>.kubeconfig` for kubectl.
 */
export class LocalKubernetes extends pulumi.ComponentResource {
    public readonly kubeconfig: pulumi.Output<string>;
    public readonly kubeconfigFile: pulumi.Output<string>;
    public readonly server: pulumi.Output<string>;
    /**
     * A Kubernetes provider on the cluster: its objects leave the state with the cluster when
     * the cluster is gone (refresh, or its replacement), instead of failing.
     */
    public readonly provider: k8s.Provider;

    constructor(name: string, args: LocalKubernetesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("k8sci:local:LocalKubernetes", name, {}, opts);
        const cluster = new LocalCluster(
            `${name}-cluster`,
            { stackDir: args.stackDir, clusterName: name, nodes: args.nodes },
            { parent: this },
        );
        this.kubeconfig = pulumi.secret(cluster.kubeconfig);
        this.server = cluster.server;
        this.kubeconfigFile = new SecretFile(
            `${name}-kubeconfig`,
            {
                path: path.join(args.stackDir, "kubeconfigs", `${name}.kubeconfig`),
                content: this.kubeconfig,
                stackDir: args.stackDir,
            },
            { parent: this },
        ).path;
        this.provider = new k8s.Provider(
            `${name}-provider`,
            { kubeconfig: this.kubeconfig, deleteUnreachable: true },
            { parent: this },
        );
        this.registerOutputs({
            kubeconfig: this.kubeconfig,
            kubeconfigFile: this.kubeconfigFile,
            server: this.server,
        });
    }
}
