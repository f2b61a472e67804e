import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { checkDnsLabel, Issue } from "../../providers/validation";
import { ClusterSpec, SimulatorModel, validateClusterSpec } from "../../providers/vcsim";
import { controllerWorkload } from "../common/controller";
import { refuseIssues } from "../common/refuse-issues";
import { VCSIM_API_VERSION, VCSIM_GROUP, vcsimCrds } from "./crds";

export const VCSIM_NAMESPACE = "vcsim-system";
export const VCSIM_DEPLOYMENT = "vcsim-controller-manager";

/** The custom resources vcsim.sh makes: a simulator, an endpoint named after the cluster, an env var. */
export interface VcsimResources {
    /** Names the VCenterSimulator. */
    simulator: string;
    model: SimulatorModel;
    cluster: ClusterSpec;
}

export interface VcsimControllerDeploymentArgs {
    image: string;
    /** The manager's arguments, e.g. CAPV's `--v=2 --logging-format=json`. */
    args: string[];
    /** Custom resources to create, in the cluster's namespace. */
    resources?: VcsimResources;
    /**
     * Wait for the EnvVar's `status.variables` and export them (a real controller runs). Off
     * where nothing reconciles the resources, as on a kwok cluster.
     */
    waitForVariables: boolean;
}

/** Every rule the args break, by arg path; empty when they are usable. */
export function validateVcsimControllerDeploymentArgs(
    args: VcsimControllerDeploymentArgs,
): Issue[] {
    const issues: Issue[] = [];
    if (typeof args.image !== "string" || args.image.trim() === "") {
        issues.push({ field: "image", message: "must name a container image" });
    }
    if (args.waitForVariables && args.resources === undefined) {
        issues.push({ field: "waitForVariables", message: "needs resources to wait for" });
    }
    if (args.resources) {
        issues.push(...checkDnsLabel("resources.simulator", args.resources.simulator));
        issues.push(
            ...validateClusterSpec(args.resources.cluster).map((i) => ({
                ...i,
                field: `resources.cluster.${i.field}`,
            })),
        );
    }
    return issues;
}

/** The rights CAPV's manager needs: its own API, and what it reads and makes for CAPV. */
const RULES: k8s.types.input.rbac.v1.PolicyRule[] = [
    { apiGroups: [VCSIM_GROUP], resources: ["*"], verbs: ["*"] },
    {
        apiGroups: [""],
        resources: ["secrets", "configmaps", "namespaces", "services", "events"],
        verbs: ["get", "list", "watch", "create", "update", "patch"],
    },
    {
        apiGroups: ["storage.k8s.io", "vmoperator.vmware.com", "topology.tanzu.vmware.com"],
        resources: ["*"],
        verbs: ["get", "list", "watch", "create", "update", "patch"],
    },
    { apiGroups: [""], resources: ["resourcequotas"], verbs: ["get", "list", "create"] },
    {
        apiGroups: ["cluster.x-k8s.io", "infrastructure.cluster.x-k8s.io"],
        resources: ["*"],
        verbs: ["get", "list", "watch", "patch", "update"],
    },
    {
        apiGroups: ["coordination.k8s.io"],
        resources: ["leases"],
        verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
    },
];

/**
 * CAPV's vcsim controller deployed on a cluster: its namespace, its four CRDs, its rights
 * and manager Deployment, and, when asked, a VCenterSimulator, a ControlPlaneEndpoint and an
 * EnvVar as vcsim.sh makes them.
 */
export class VcsimControllerDeployment extends pulumi.ComponentResource {
    public readonly namespace: pulumi.Output<string>;
    public readonly crdNames: string[];
    public readonly availableReplicas: pulumi.Output<number>;
    /** The EnvVar's variables (a secret), when waited for. */
    public readonly variables?: pulumi.Output<Record<string, string>>;

    constructor(
        name: string,
        args: VcsimControllerDeploymentArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("k8sci:supervisor:VcsimControllerDeployment", name, {}, opts);
        const issues = validateVcsimControllerDeploymentArgs(args);
        refuseIssues(this, name, issues);
        const crds = vcsimCrds().map(
            (body) =>
                new k8s.apiextensions.v1.CustomResourceDefinition(
                    `${name}-crd-${body.spec.names.plural}`,
                    body,
                    { parent: this },
                ),
        );
        this.crdNames = vcsimCrds().map((c) => c.metadata.name);
        const workload = controllerWorkload(this, name, {
            namespace: VCSIM_NAMESPACE,
            deploymentName: VCSIM_DEPLOYMENT,
            image: args.image,
            args: args.args,
            rules: RULES,
            // CAPV's ControlPlaneEndpoint host is the manager's pod IP.
            env: [{ name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } }],
        });
        this.namespace = workload.namespace;
        this.availableReplicas = workload.availableReplicas;

        if (args.resources) {
            this.variables = this.customResources(name, args.resources, args.waitForVariables, [
                ...crds,
            ]);
        }
        this.registerOutputs({
            namespace: this.namespace,
            crdNames: this.crdNames,
            availableReplicas: this.availableReplicas,
            variables: this.variables,
        });
    }

    private customResources(
        name: string,
        r: VcsimResources,
        wait: boolean,
        crds: pulumi.Resource[],
    ): pulumi.Output<Record<string, string>> | undefined {
        const ns = r.cluster.namespace;
        const opts = { parent: this, dependsOn: crds };
        const annotations: Record<string, string> = wait ? {} : { "pulumi.com/skipAwait": "true" };
        new k8s.apiextensions.CustomResource(
            `${name}-simulator`,
            {
                apiVersion: VCSIM_API_VERSION,
                kind: "VCenterSimulator",
                metadata: { name: r.simulator, namespace: ns, annotations },
                spec: {
                    model: {
                        vsphereVersion: r.model.vsphereVersion,
                        datacenter: r.model.datacenters,
                        cluster: r.model.clusters,
                        clusterHost: r.model.hostsPerCluster,
                        pool: r.model.resourcePools,
                        datastore: r.model.datastores,
                    },
                },
            },
            opts,
        );
        new k8s.apiextensions.CustomResource(
            `${name}-endpoint`,
            {
                apiVersion: VCSIM_API_VERSION,
                kind: "ControlPlaneEndpoint",
                metadata: { name: r.cluster.name, namespace: ns, annotations },
                spec: {},
            },
            opts,
        );
        const envVar = new k8s.apiextensions.CustomResource(
            `${name}-envvar`,
            {
                apiVersion: VCSIM_API_VERSION,
                kind: "EnvVar",
                metadata: {
                    name: r.cluster.name,
                    namespace: ns,
                    // As vcsim.sh polls: done once the controller has written the variables.
                    annotations: wait
                        ? { "pulumi.com/waitFor": "jsonpath={.status.variables}" }
                        : annotations,
                },
                spec: {
                    vCenterSimulator: { name: r.simulator, namespace: ns },
                    controlPlaneEndpoint: { name: r.cluster.name, namespace: ns },
                    cluster: { ...r.cluster },
                },
                // Registered so the engine reads it back: the controller writes it.
                ...(wait ? { status: undefined } : {}),
            },
            opts,
        );
        if (!wait) {
            return undefined;
        }
        const status = (envVar as unknown as { status: pulumi.Output<unknown> }).status;
        return pulumi.secret(
            status.apply((s) => (s as { variables?: Record<string, string> })?.variables ?? {}),
        );
    }
}
