import * as path from "path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Issue } from "../../providers/validation";
import { OPERATOR_NAMESPACE } from "./dependencies-spec";
import {
    isLeftOut,
    K8sObject,
    parseManifest,
    SEED_PATCHES,
    VM_OPERATOR_DEPLOYMENT,
    vmOperatorTransform,
    VmOperatorPatches,
} from "./vm-operator-patches";
import { refuseIssues } from "../common/refuse-issues";

/** The project's own vm-operator manifest for the local stack. */
export const LOCAL_VM_OPERATOR_MANIFEST = path.join(
    __dirname,
    "manifests",
    "vm-operator-local.yaml",
);

export interface VmOperatorArgs {
    /** The manifest's YAML: a vm-operator release, or the project's local one. */
    manifest: string;
    /** Overrides of CAPV's kustomize patches (test/infrastructure/vm-operator). */
    patches?: Partial<VmOperatorPatches>;
}

/** Every rule the args break, by arg path; empty when they are usable. */
export function validateVmOperatorArgs(args: VmOperatorArgs): Issue[] {
    let objects: K8sObject[];
    try {
        objects = parseManifest(args.manifest);
    } catch (err) {
        return [{ field: "manifest", message: `is not YAML: ${(err as Error).message}` }];
    }
    const manager = objects.some(
        (o) => o.kind === "Deployment" && o.metadata?.name === VM_OPERATOR_DEPLOYMENT,
    );
    return manager
        ? []
        : [{ field: "manifest", message: `has no Deployment ${VM_OPERATOR_DEPLOYMENT}` }];
}

/** Namespaces and CRDs go first: everything else of the manifest lives in or on them. */
const isFoundation = (o: K8sObject) =>
    o.kind === "Namespace" || o.kind === "CustomResourceDefinition";

/**
 * vm-operator from a versioned manifest, applied with CAPV's kustomize patches (test/infrastructure/vm-operator) as Pulumi YAML
 * transformations: the manager at one replica, its pull policy, no host network, no vCenter
 * certificate volume, CAPV's environment patch, and the provider label on every object; the
 * web console validator and the ConfigMaps VmOperatorDependencies makes are left out.
 */
export class VmOperator extends pulumi.ComponentResource {
    public readonly namespace: string;
    /** Every object applied, once applied. */
    public readonly resources: pulumi.Output<pulumi.CustomResource[]>;
    public readonly availableReplicas: pulumi.Output<number>;

    constructor(name: string, args: VmOperatorArgs, opts?: pulumi.ComponentResourceOptions) {
        super("k8sci:supervisor:VmOperator", name, {}, opts);
        const issues = validateVmOperatorArgs(args);
        refuseIssues(this, name, issues);
        const objects = parseManifest(args.manifest).filter((o) => !isLeftOut(o));
        const transform = vmOperatorTransform({ ...SEED_PATCHES, ...args.patches });
        const transformations = [(o: K8sObject) => transform(o)];
        const foundation = new k8s.yaml.ConfigGroup(
            `${name}-crds`,
            { objs: objects.filter(isFoundation), transformations, resourcePrefix: name },
            { parent: this },
        );
        const foundationReady = foundation.resources.apply((r) => Object.values(r));
        const rest = new k8s.yaml.ConfigGroup(
            `${name}-manifest`,
            {
                objs: objects.filter((o) => !isFoundation(o)),
                transformations,
                resourcePrefix: name,
            },
            { parent: this, dependsOn: foundationReady },
        );
        this.namespace = OPERATOR_NAMESPACE;
        this.resources = pulumi
            .all([foundationReady, rest.resources])
            .apply(([a, b]) => [...a, ...Object.values(b)]);
        // ConfigGroup keys its objects `<group/version/kind>::<prefix>-<namespace>/<name>`.
        const manager = `${OPERATOR_NAMESPACE}/${VM_OPERATOR_DEPLOYMENT}`;
        this.availableReplicas = rest.resources.apply((rs) => {
            const found = Object.entries(rs).find(
                ([key]) => key.startsWith("apps/v1/Deployment::") && key.endsWith(manager),
            );
            const deployment = found?.[1] as k8s.apps.v1.Deployment | undefined;
            return deployment
                ? deployment.status.apply((s) => s?.availableReplicas ?? 0)
                : pulumi.output(0);
        });
        this.registerOutputs({
            availableReplicas: this.availableReplicas,
        });
    }
}
