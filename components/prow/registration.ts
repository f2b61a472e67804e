import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ServiceAccountToken } from "../../providers/tokens/service-account-token";
import { ClusterCredentials, mergeKubeconfigs, parseKubeconfig } from "./kubeconfig";
import { guardedForProw, outlivesStack, SharedObjects } from "./lifecycle";
import { PROW_POD_RULES } from "./pod-rights";
import { POD_ROLE, ProwSettings, SERVICE_ACCOUNT, validateBuildClusters } from "./settings";
import { refuseIssues } from "../common/refuse-issues";

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
        | "tokenTtlHours"
    >;
    /**
     * Creates Prow's kubeconfig secret on the Prow service cluster. Give it
     * `enableSecretMutable`: each renewed token updates the secret, which (protected with
     * `retain`) pulumi-kubernetes could not replace.
     */
    prowProvider: k8s.Provider;
    /** Prow's namespace, when this stack makes it (a stand-in service cluster): the secret goes after it. */
    prowNamespace?: k8s.core.v1.Namespace;
    /**
     * What `down` does to what Prow depends on (see lifecycle.ts): `retain` for Prow's real
     * clusters, `delete` for stand-ins the stack makes. Defaults to `retain`.
     */
    sharedObjects?: SharedObjects;
}

/**
 * KubeVirt's Prow build clusters, registered declaratively: on each build cluster the jobs
 * namespace, a service account with only the pod rights Prow's components need there, and a
 * token for it from the TokenRequest API that expires (renewed by `up`); a kubeconfig per
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
    /** Each cluster's token for Prow, by alias. */
    public readonly tokens: Record<string, ServiceAccountToken> = {};

    constructor(
        name: string,
        args: BuildClusterRegistrationArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("k8sci:prow:BuildClusterRegistration", name, {}, opts);
        const s = args.settings;
        const issues = validateBuildClusters(args.clusters, s.defaultCluster, { ...s });
        refuseIssues(this, name, issues);

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
            {
                parent: this,
                provider: args.prowProvider,
                dependsOn: args.prowNamespace,
                ...guardedForProw(args.sharedObjects ?? "retain"),
            },
        );

        this.registerOutputs({
            kubeconfig: this.kubeconfig,
            clusterKubeconfigs: this.clusterKubeconfigs,
        });
    }

    /**
     * The cluster's jobs namespace, service account, pod Role and its binding, which Prow uses
     * and so outlive a ci stack, and the service account's token; its credentials.
     */
    private registerCluster(
        cluster: BuildClusterArgs,
        args: BuildClusterRegistrationArgs,
    ): pulumi.Output<ClusterCredentials> {
        const namespace = args.settings.jobsNamespace;
        const opts = {
            parent: this,
            provider: cluster.provider,
            ...outlivesStack(args.sharedObjects ?? "retain"),
        };
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
        const role = new k8s.rbac.v1.Role(
            `${cluster.alias}-pod-role`,
            { metadata: { name: POD_ROLE, namespace }, rules: PROW_POD_RULES },
            inNamespace,
        );
        const binding = new k8s.rbac.v1.RoleBinding(
            `${cluster.alias}-pod-role-binding`,
            {
                metadata: { name: POD_ROLE, namespace },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: POD_ROLE },
                subjects: [{ kind: "ServiceAccount", name: SERVICE_ACCOUNT, namespace }],
            },
            { ...inNamespace, dependsOn: [ns, account, role] },
        );
        // Minted once its rights exist, so that Prow's secret never holds a token that cannot run pods.
        const token = new ServiceAccountToken(
            `${cluster.alias}-token`,
            {
                kubeconfig: cluster.kubeconfig,
                namespace,
                serviceAccount: SERVICE_ACCOUNT,
                ttlHours: args.settings.tokenTtlHours,
            },
            { parent: this, dependsOn: [account, binding] },
        );
        this.tokens[cluster.alias] = token;
        return pulumi
            .all([pulumi.secret(cluster.kubeconfig), token.token])
            .apply(([kubeconfig, t]) => ({
                alias: cluster.alias,
                endpoint: parseKubeconfig(kubeconfig, `cluster ${cluster.alias}`).endpoint,
                token: t,
                namespace,
            }));
    }
}
