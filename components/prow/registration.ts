import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { formatIssues } from "../../providers/validation";
import { ClusterCredentials, mergeKubeconfigs, parseKubeconfig } from "./kubeconfig";
import { ProwSettings, ROLE_BINDING, SERVICE_ACCOUNT, validateBuildClusters } from "./settings";

/** The service account's token Secret on each build cluster. */
const TOKEN_SECRET = `${SERVICE_ACCOUNT}-token`;

/** One build cluster to register. */
export interface BuildClusterArgs {
    /** The context name jobs select with `cluster:`. */
    alias: string;
    /** The cluster's admin kubeconfig (a secret): it says where the API server is. */
    kubeconfig: pulumi.Input<string>;
    /** Creates the cluster's objects, from the admin kubeconfig. */
    provider: k8s.Provider;
    /** Control-plane nodes (the HA rule needs 3 or more). */
    controlPlaneNodes: number;
}

export interface BuildClusterRegistrationArgs {
    clusters: BuildClusterArgs[];
    settings: Pick<
        ProwSettings,
        | "jobsNamespace"
        | "prowNamespace"
        | "kubeconfigSecret"
        | "kubeconfigSecretKey"
        | "defaultCluster"
    >;
    /** Creates Prow's kubeconfig secret on the Prow service cluster. */
    prowProvider: k8s.Provider;
    /** Prow's namespace, when this stack makes it (a stand-in service cluster): the secret goes after it. */
    prowNamespace?: k8s.core.v1.Namespace;
}

/**
 * KubeVirt's Prow build clusters, registered declaratively: on each build cluster the jobs
 * namespace, a service account, its token and an admin RoleBinding there; a kubeconfig per
 * cluster whose context, cluster and user are all named by the alias; and all of them merged
 * into Prow's kubeconfig secret on the Prow service cluster.
 */
export class BuildClusterRegistration extends pulumi.ComponentResource {
    /** The merged kubeconfig in Prow's secret (a secret). */
    public readonly kubeconfig: pulumi.Output<string>;
    /** Each cluster's own service-account kubeconfig, by alias (a secret). */
    public readonly clusterKubeconfigs: pulumi.Output<Record<string, string>>;
    public readonly prowSecret: k8s.core.v1.Secret;
    /** Each cluster's jobs namespace, by alias. */
    public readonly jobsNamespaces: Record<string, k8s.core.v1.Namespace> = {};

    constructor(
        name: string,
        args: BuildClusterRegistrationArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("k8sci:prow:BuildClusterRegistration", name, {}, opts);
        const s = args.settings;
        const issues = validateBuildClusters(args.clusters, s.defaultCluster, { ...s });
        if (issues.length > 0) {
            throw new pulumi.ResourceError(
                formatIssues(issues, (f) => `${name}: ${f}`),
                this,
            );
        }

        const credentials = args.clusters.map((cluster) => this.registerCluster(cluster, args));
        const all = pulumi.all(credentials);
        this.kubeconfig = pulumi.secret(
            all.apply((list) => mergeKubeconfigs(list, s.defaultCluster)),
        );
        this.clusterKubeconfigs = pulumi.secret(
            all.apply((list) =>
                Object.fromEntries(list.map((c) => [c.alias, mergeKubeconfigs([c], c.alias)])),
            ),
        );
        this.prowSecret = new k8s.core.v1.Secret(
            `${name}-prow-kubeconfig`,
            {
                metadata: { name: s.kubeconfigSecret, namespace: s.prowNamespace },
                type: "Opaque",
                stringData: { [s.kubeconfigSecretKey]: this.kubeconfig },
            },
            { parent: this, provider: args.prowProvider, dependsOn: args.prowNamespace },
        );

        this.registerOutputs({
            kubeconfig: this.kubeconfig,
            clusterKubeconfigs: this.clusterKubeconfigs,
        });
    }

    /** The cluster's jobs namespace, service account, token and RoleBinding; its credentials. */
    private registerCluster(
        cluster: BuildClusterArgs,
        args: BuildClusterRegistrationArgs,
    ): pulumi.Output<ClusterCredentials> {
        const namespace = args.settings.jobsNamespace;
        const opts = { parent: this, provider: cluster.provider };
        const ns = new k8s.core.v1.Namespace(
            `${cluster.alias}-jobs-namespace`,
            { metadata: { name: namespace } },
            opts,
        );
        this.jobsNamespaces[cluster.alias] = ns;
        const inNamespace = { ...opts, dependsOn: [ns] };
        const account = new k8s.core.v1.ServiceAccount(
            `${cluster.alias}-service-account`,
            { metadata: { name: SERVICE_ACCOUNT, namespace } },
            inNamespace,
        );
        const tokenSecret = new k8s.core.v1.Secret(
            `${cluster.alias}-service-account-token`,
            {
                metadata: {
                    name: TOKEN_SECRET,
                    namespace,
                    annotations: { "kubernetes.io/service-account.name": SERVICE_ACCOUNT },
                },
                type: "kubernetes.io/service-account-token",
            },
            { ...inNamespace, dependsOn: [ns, account] },
        );
        new k8s.rbac.v1.RoleBinding(
            `${cluster.alias}-admin`,
            {
                metadata: { name: ROLE_BINDING, namespace },
                roleRef: {
                    apiGroup: "rbac.authorization.k8s.io",
                    kind: "ClusterRole",
                    name: "admin",
                },
                subjects: [{ kind: "ServiceAccount", name: SERVICE_ACCOUNT, namespace }],
            },
            { ...inNamespace, dependsOn: [ns, account] },
        );
        const token = tokenSecret.data.apply((data) =>
            serviceAccountToken(data, `cluster ${cluster.alias}`, namespace),
        );
        return pulumi.all([pulumi.secret(cluster.kubeconfig), token]).apply(([kubeconfig, t]) => ({
            alias: cluster.alias,
            endpoint: parseKubeconfig(kubeconfig, `cluster ${cluster.alias}`).endpoint,
            token: t,
            namespace,
        }));
    }
}

/**
 * The token in a service-account token Secret's data. The token controller fills data.token and
 * pulumi-kubernetes waits for it; without it Prow's user would authenticate with nothing.
 */
export function serviceAccountToken(
    data: Record<string, string> | undefined,
    owner: string,
    namespace: string,
): string {
    const token = data?.token ? Buffer.from(data.token, "base64").toString() : "";
    if (token === "") {
        throw new Error(
            `${owner}: the Secret ${namespace}/${TOKEN_SECRET} has no key token: its token controller did not mint the service account's token`,
        );
    }
    return token;
}
