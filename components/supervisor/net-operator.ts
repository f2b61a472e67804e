import * as pulumi from "@pulumi/pulumi";
import { Issue } from "../../providers/validation";
import { controllerWorkload } from "../common/controller";
import { refuseIssues } from "../common/refuse-issues";

export const NET_OPERATOR_NAMESPACE = "vmware-system-netop";
export const NET_OPERATOR_DEPLOYMENT = "net-operator-controller-manager";

export interface NetOperatorArgs {
    image: string;
    args?: string[];
}

export function validateNetOperatorArgs(args: NetOperatorArgs): Issue[] {
    return typeof args.image === "string" && args.image.trim() !== ""
        ? []
        : [{ field: "image", message: "must name a container image" }];
}

/**
 * CAPV's minimal net-operator: a manager that gives each NetworkInterface the port group
 * named in vm-operator's ConfigMap and marks it Ready. Its Deployment and rights.
 */
export class NetOperator extends pulumi.ComponentResource {
    public readonly availableReplicas: pulumi.Output<number>;

    constructor(name: string, args: NetOperatorArgs, opts?: pulumi.ComponentResourceOptions) {
        super("k8sci:supervisor:NetOperator", name, {}, opts);
        const issues = validateNetOperatorArgs(args);
        refuseIssues(this, name, issues);
        const workload = controllerWorkload(this, name, {
            namespace: NET_OPERATOR_NAMESPACE,
            deploymentName: NET_OPERATOR_DEPLOYMENT,
            image: args.image,
            args: args.args ?? ["--leader-elect"],
            rules: [
                {
                    apiGroups: ["netoperator.vmware.com"],
                    resources: ["networkinterfaces", "networkinterfaces/status"],
                    verbs: ["get", "list", "watch", "update", "patch"],
                },
                {
                    apiGroups: [""],
                    resources: ["configmaps", "secrets"],
                    verbs: ["get", "list", "watch"],
                },
                {
                    apiGroups: ["coordination.k8s.io"],
                    resources: ["leases"],
                    verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
                },
            ],
            labels: { "cluster.x-k8s.io/provider": "runtime-extension-net-operator" },
        });
        this.availableReplicas = workload.availableReplicas;
        this.registerOutputs({ availableReplicas: this.availableReplicas });
    }
}
