/**
 * CAPV's kustomize patches of vm-operator's manifest, as pure functions on its objects:
 * what is left out, and the transform every object goes through.
 */
import * as yaml from "js-yaml";
import {
    CA_CONFIG_MAP_NAME,
    CA_MOUNT_PATH,
    CONFIG_MAP_NAME,
    OPERATOR_NAMESPACE,
} from "./dependencies-spec";

export const VM_OPERATOR_DEPLOYMENT = "vmware-system-vmop-controller-manager";
export const VM_OPERATOR_CONTAINER = "manager";
/** The volume of vCenter's certificate bundle, which only exists inside a supervisor. */
export const CERTS_VOLUME = "vmca-certs";
/**
 * What stands in for it: the pinned vCenter certificate VmOperatorDependencies puts in a
 * ConfigMap, at the same path (optional: the ConfigMap is made after vm-operator is up).
 */
export const CA_VOLUME = {
    name: "vcenter-ca",
    configMap: { name: CA_CONFIG_MAP_NAME, optional: true },
};
/** vm-operator is no CAPI provider; the label lets CAPI's machinery install it all the same. */
export const PROVIDER_LABEL = { "cluster.x-k8s.io/provider": "runtime-extension-vm-operator" };

/** CAPV's environment of the manager: networking and feature switches. */
export const SEED_ENV: Record<string, string> = {
    VSPHERE_NETWORKING: "true",
    NETWORK_PROVIDER: "VSPHERE_NETWORK",
    FSS_WCP_INSTANCE_STORAGE: "true",
    FSS_WCP_VMSERVICE_BACKUPRESTORE: "false",
    FSS_PODVMONSTRETCHEDSUPERVISOR: "false",
    FSS_WCP_TKG_Multiple_CL: "false",
    FSS_WCP_NAMESPACED_VM_CLASS: "true",
};
/** Removed: no privileged users outside a supervisor, and the API server from the pod's own. */
export const SEED_REMOVED_ENV = [
    "PRIVILEGED_USERS",
    "KUBERNETES_SERVICE_HOST",
    "KUBERNETES_SERVICE_PORT",
];

export interface VmOperatorPatches {
    replicas: number;
    imagePullPolicy: string;
    /** Replaces the manager's image when set. */
    image?: string;
    env: Record<string, string>;
    removeEnv: string[];
}

export const SEED_PATCHES: VmOperatorPatches = {
    replicas: 1,
    imagePullPolicy: "Always",
    env: SEED_ENV,
    removeEnv: SEED_REMOVED_ENV,
};

/** A Kubernetes object as the manifest holds it. */
export type K8sObject = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The objects of a multi-document YAML manifest, empty documents dropped. */
export function parseManifest(text: string): K8sObject[] {
    return yaml
        .loadAll(text)
        .filter((o): o is K8sObject => typeof o === "object" && o !== null && "kind" in o);
}

/**
 * Objects CAPV's vm-operator kustomization deletes: the web console validator (unused out of a supervisor) and the two
 * ConfigMaps that VmOperatorDependencies makes instead.
 */
export function isLeftOut(obj: K8sObject): boolean {
    const name = obj.metadata?.name;
    const namespace = obj.metadata?.namespace;
    if (obj.kind === "Deployment") {
        return (
            name === "web-console-validator" ||
            obj.metadata?.labels?.app === "web-console-validator"
        );
    }
    return (
        obj.kind === "ConfigMap" &&
        namespace === OPERATOR_NAMESPACE &&
        (name === CONFIG_MAP_NAME || name === "vmoperator-network-config")
    );
}

interface EnvVar {
    name: string;
    value?: string;
}

/** The container's env with `set` merged in by name (in place, else appended) and `remove` gone. */
export function patchEnv(env: EnvVar[] | undefined, set: Record<string, string>, remove: string[]) {
    const kept = (env ?? [])
        .filter((e) => !remove.includes(e.name))
        .map((e) => (e.name in set ? { name: e.name, value: set[e.name] } : e));
    const added = Object.entries(set)
        .filter(([name]) => !kept.some((e) => e.name === name))
        .map(([name, value]) => ({ name, value }));
    return [...kept, ...added];
}

/** Applies CAPV's kustomize patches (test/infrastructure/vm-operator) to vm-operator's manager Deployment, in place. */
function patchManager(deployment: K8sObject, patches: VmOperatorPatches): void {
    deployment.spec = deployment.spec ?? {};
    deployment.spec.replicas = patches.replicas;
    const pod = (deployment.spec.template = deployment.spec.template ?? {});
    pod.spec = pod.spec ?? {};
    pod.spec.hostNetwork = false;
    pod.spec.volumes = [
        ...(pod.spec.volumes ?? []).filter((v: { name: string }) => v.name !== CERTS_VOLUME),
        CA_VOLUME,
    ];
    for (const c of pod.spec.containers ?? []) {
        c.imagePullPolicy = patches.imagePullPolicy;
        if (Array.isArray(c.volumeMounts)) {
            c.volumeMounts = c.volumeMounts.filter(
                (m: { name: string }) => m.name !== CERTS_VOLUME,
            );
        }
        if (c.name === VM_OPERATOR_CONTAINER) {
            c.volumeMounts = [
                ...(c.volumeMounts ?? []),
                { name: CA_VOLUME.name, mountPath: CA_MOUNT_PATH, readOnly: true },
            ];
            c.env = patchEnv(c.env, patches.env, patches.removeEnv);
            if (patches.image) {
                c.image = patches.image;
            }
        }
    }
}

/**
 * The transform every kept object of the manifest goes through (in place, as Pulumi's YAML
 * transformations work): the provider label on the object and its pods, and the manager's
 * patches.
 */
export function vmOperatorTransform(patches: VmOperatorPatches) {
    return (obj: K8sObject): void => {
        obj.metadata = obj.metadata ?? {};
        obj.metadata.labels = { ...obj.metadata.labels, ...PROVIDER_LABEL };
        const template = obj.spec?.template;
        if (template !== undefined && obj.kind !== "CustomResourceDefinition") {
            template.metadata = template.metadata ?? {};
            template.metadata.labels = { ...template.metadata.labels, ...PROVIDER_LABEL };
        }
        if (obj.kind === "Deployment" && obj.metadata.name === VM_OPERATOR_DEPLOYMENT) {
            patchManager(obj, patches);
        }
    };
}
