import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** A controller manager: one Deployment, its service account and cluster-wide rights. */
export interface ControllerWorkloadArgs {
    /** Created for the controller. */
    namespace: string;
    /** Names the Deployment, service account, role and binding. */
    deploymentName: string;
    image: string;
    args: string[];
    rules: k8s.types.input.rbac.v1.PolicyRule[];
    env?: k8s.types.input.core.v1.EnvVar[];
    labels?: Record<string, string>;
}

export interface ControllerWorkload {
    namespace: pulumi.Output<string>;
    deployment: k8s.apps.v1.Deployment;
    /** Replicas the Deployment reports available. */
    availableReplicas: pulumi.Output<number>;
}

/**
 * Creates the workload as children of `parent`, named `${name}-ns`, `-sa`, `-role`, `-binding`
 * and `-deploy`. The pod runs on control-plane nodes too, as CAPV's test managers (vcsim controller, net-operator) do.
 */
export function controllerWorkload(
    parent: pulumi.Resource,
    name: string,
    args: ControllerWorkloadArgs,
): ControllerWorkload {
    const namespace = new k8s.core.v1.Namespace(
        `${name}-ns`,
        { metadata: { name: args.namespace } },
        { parent },
    ).metadata.name;
    const selector = { "control-plane": args.deploymentName };
    const labels = { ...args.labels, ...selector };
    const sa = new k8s.core.v1.ServiceAccount(
        `${name}-sa`,
        { metadata: { name: args.deploymentName, namespace, labels } },
        { parent },
    );
    const role = new k8s.rbac.v1.ClusterRole(
        `${name}-role`,
        { metadata: { name: args.deploymentName, labels }, rules: args.rules },
        { parent },
    );
    new k8s.rbac.v1.ClusterRoleBinding(
        `${name}-binding`,
        {
            metadata: { name: args.deploymentName, labels },
            roleRef: {
                apiGroup: "rbac.authorization.k8s.io",
                kind: "ClusterRole",
                name: role.metadata.name,
            },
            subjects: [{ kind: "ServiceAccount", name: sa.metadata.name, namespace }],
        },
        { parent },
    );
    const deployment = new k8s.apps.v1.Deployment(
        `${name}-deploy`,
        {
            metadata: { name: args.deploymentName, namespace, labels },
            spec: {
                replicas: 1,
                selector: { matchLabels: selector },
                template: {
                    metadata: { labels },
                    spec: {
                        serviceAccountName: sa.metadata.name,
                        containers: [
                            {
                                name: "manager",
                                image: args.image,
                                command: ["/manager"],
                                args: args.args,
                                env: args.env,
                            },
                        ],
                        tolerations: ["node-role.kubernetes.io/control-plane"].map((key) => ({
                            key,
                            effect: "NoSchedule",
                        })),
                        terminationGracePeriodSeconds: 10,
                    },
                },
            },
        },
        { parent },
    );
    return {
        namespace,
        deployment,
        availableReplicas: deployment.status.apply((s) => s?.availableReplicas ?? 0),
    };
}
