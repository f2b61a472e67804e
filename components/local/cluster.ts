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
            // Secrets and ConfigMaps update in place: a replacement, made before the old one goes,
            // would collide with it by name.
            {
                kubeconfig: this.kubeconfig,
                deleteUnreachable: true,
                enableSecretMutable: true,
                enableConfigMapMutable: true,
            },
            { parent: this },
        );
        deleteObjectsWithCluster(cluster);
        this.registerOutputs({
            kubeconfig: this.kubeconfig,
            kubeconfigFile: this.kubeconfigFile,
            server: this.server,
        });
    }
}

/** The local clusters of this program whose API server is known, by its URL. */
const clustersByServer = new Map<string, LocalCluster>();
/** The Kubernetes providers on a local cluster, by name. */
const providersOnCluster = new Map<string, LocalCluster>();
let transformRegistered = false;

/** The value of `v`, or undefined while it is unknown (a preview): never waits on a preview. */
const valueOf = <T>(v: pulumi.Input<T>) =>
    (pulumi.output(v) as unknown as { promise(): Promise<T | undefined> }).promise();

/** The `server` of a kubeconfig's clusters (YAML or JSON), without parsing the rest. */
function servers(kubeconfig: string): string[] {
    return [...kubeconfig.matchAll(/"?server"?\s*:\s*"?(https:\/\/[^"\s,]+)/g)].map((m) => m[1]);
}

/**
 * The objects on a local cluster go with it (`deletedWith`): when destroy takes the cluster,
 * they are not deleted one by one first, which would wait forever on a cluster whose
 * controllers are dead (namespaces and foreground deletions wait for its controller-manager).
 * A removal or replacement while the cluster stays still deletes them as usual. Whichever
 * Kubernetes provider they go through (the cluster's own, or one the stack made from its
 * kubeconfig), it is known by the API server its kubeconfig names.
 */
function deleteObjectsWithCluster(cluster: LocalCluster): void {
    cluster.server.apply((server) => clustersByServer.set(server, cluster));
    // One transform serves every cluster. Only the engine applies transforms: under the SDK's
    // mocks (no monitor of the engine's) registering one never settles.
    if (transformRegistered || !process.env.PULUMI_NODEJS_MONITOR) {
        return;
    }
    transformRegistered = true;
    pulumi.runtime.registerResourceTransform(async (args) => {
        if (args.type === "pulumi:providers:kubernetes") {
            const kubeconfig = args.props.kubeconfig;
            const text = kubeconfig === undefined ? "" : String((await valueOf(kubeconfig)) ?? "");
            for (const server of servers(text)) {
                const cluster = clustersByServer.get(server);
                if (cluster) {
                    providersOnCluster.set(args.name, cluster);
                }
            }
            return undefined;
        }
        const provider = args.opts.provider;
        if (
            !args.custom ||
            !args.type.startsWith("kubernetes:") ||
            args.opts.deletedWith ||
            !provider
        ) {
            return undefined;
        }
        const urn = (await valueOf(provider.urn)) ?? "";
        const cluster = providersOnCluster.get(urn.slice(urn.lastIndexOf("::") + 2));
        return cluster
            ? { props: args.props, opts: { ...args.opts, deletedWith: cluster } }
            : undefined;
    });
}
