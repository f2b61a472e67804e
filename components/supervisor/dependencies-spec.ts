/**
 * What vm-operator needs in the cluster and in vCenter (CAPV's VMOperatorDependencies): its
 * shapes, CAPV's vcsim defaults, the rules, and the objects' exact names and keys.
 */
import { checkDnsLabel, checkInteger, checkPattern, Issue } from "../../providers/validation";
import { DEFAULT_STORAGE_POLICY, SUPERVISOR_DEFAULTS } from "../../providers/vcsim/variables";

export interface StorageClassSpec {
    name: string;
    /** The vCenter storage policy the class provisions on. */
    storagePolicy: string;
}

export interface VmClassSpec {
    name: string;
    cpus: number;
    /** A Kubernetes quantity, e.g. 4G. */
    memory: string;
}

/** Where vm-operator puts machines, as inventory paths (CAPV's `spec.vCenter`). */
export interface Placement {
    datacenter: string;
    /** Compute cluster path. */
    cluster: string;
    folder: string;
    resourcePool: string;
    /** Distributed port group name, which net-operator resolves. */
    portGroup: string;
    contentLibrary: string;
    /** Content library items, each one a VirtualMachineImage. */
    items: string[];
}

/** vm-operator's namespace (CAPV's `operatorRef.namespace` default). */
export const OPERATOR_NAMESPACE = "vmware-system-vmop";

/** Names hard-coded in vm-operator. */
export const CONFIG_MAP_NAME = "vsphere.provider.config.vmoperator.vmware.com";
export const CREDENTIALS_SECRET_NAME = "vsphere.provider.credentials.vmoperator.vmware.com";

/**
 * How vm-operator trusts vCenter. Its provider ConfigMap has no thumbprint key: it reads
 * `InsecureSkipTLSVerify` and `CAFilePath`, a PEM file its client hands govmomi's
 * soap.Client.SetRootCAs (vmware-tanzu/vm-operator pkg/providers/vsphere/config/config.go,
 * pkg/util/vsphere/client/client.go). The vCenter's certificate, checked against the pinned
 * thumbprint, is that file: mounted from this ConfigMap where a supervisor mounts its VMCA
 * bundle (/etc/vmware/wcp/tls/vmca.pem, the path config.go names).
 */
export const CA_CONFIG_MAP_NAME = "vsphere.provider.ca.k8s-ci-envs";
export const CA_MOUNT_PATH = "/etc/vmware/wcp/tls";
export const CA_FILE = "vmca.pem";

/** CAPV's defaults for vcsim's own inventory. */
export const SEED_PLACEMENT: Placement = {
    datacenter: "DC0",
    cluster: "/DC0/host/DC0_C0",
    folder: "DC0/vm",
    resourcePool: "/DC0/host/DC0_C0/Resources",
    portGroup: "DC0_DVPG0",
    contentLibrary: "vcsim",
    items: ["ubuntu-2204-kube-v1.28.0", "ubuntu-2204-kube-v1.29.0", "ubuntu-2204-kube-v1.30.0"],
};
export const SEED_STORAGE_CLASSES: StorageClassSpec[] = [
    { name: SUPERVISOR_DEFAULTS.storageClass, storagePolicy: DEFAULT_STORAGE_POLICY },
];
export const SEED_VM_CLASSES: VmClassSpec[] = [
    { name: SUPERVISOR_DEFAULTS.machineClass, cpus: 2, memory: "4G" },
];
/** What CAPV's vcsim controller fakes on each VirtualMachineImage's status. */
export const SEED_IMAGE_INFO = { productInfo: "dummy-productInfo", osInfo: "dummy-OSInfo" };

/** A Kubernetes object name (RFC 1123 subdomain). */
const SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SUBDOMAIN_RULE = "a Kubernetes object name (lowercase letters, digits, '-' and '.')";
const QUANTITY = /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;

export function checkObjectName(field: string, value: unknown): Issue[] {
    return checkPattern(field, value, SUBDOMAIN, SUBDOMAIN_RULE);
}

/** Every rule the classes and namespaces break, by field; empty when they are usable. */
export function validateClasses(
    namespaces: string[],
    storageClasses: StorageClassSpec[],
    vmClasses: VmClassSpec[],
): Issue[] {
    const issues: Issue[] = [];
    if (namespaces.length === 0) {
        issues.push({ field: "namespaces", message: "must list at least one namespace" });
    }
    namespaces.forEach((ns, i) => issues.push(...checkDnsLabel(`namespaces[${i}]`, ns)));
    if (storageClasses.length === 0) {
        issues.push({ field: "storageClasses", message: "must list at least one storage class" });
    }
    storageClasses.forEach((sc, i) => {
        issues.push(...checkObjectName(`storageClasses[${i}].name`, sc.name));
        if (typeof sc.storagePolicy !== "string" || sc.storagePolicy === "") {
            issues.push({
                field: `storageClasses[${i}].storagePolicy`,
                message: "must name a storage policy",
            });
        }
    });
    if (vmClasses.length === 0) {
        issues.push({
            field: "virtualMachineClasses",
            message: "must list at least one VM class",
        });
    }
    vmClasses.forEach((c, i) => {
        const field = `virtualMachineClasses[${i}]`;
        issues.push(
            ...checkObjectName(`${field}.name`, c.name),
            ...checkInteger(`${field}.cpus`, c.cpus, 1, 768),
            ...checkPattern(`${field}.memory`, c.memory, QUANTITY, "a quantity such as 4G or 8Gi"),
        );
    });
    return issues;
}

/** CAPV's AvailabilityZone name for a compute cluster path. */
export function availabilityZoneName(clusterPath: string): string {
    return clusterPath.replace(/^\//, "").toLowerCase().replace(/[_/]/g, "-");
}

/** Host and port of a `host` or `host:port` server; vCenter's port defaults to 443. */
export function splitServer(server: string): { host: string; port: string } {
    const match = /^(.*):(\d+)$/.exec(server);
    return match ? { host: match[1], port: match[2] } : { host: server, port: "443" };
}

/** Managed-object ids the ConfigMap and AvailabilityZone name. */
export interface PlacementIds {
    datacenter: string;
    cluster: string;
    folder: string;
    resourcePool: string;
}

/** vm-operator's provider ConfigMap, with the keys CAPV's vcsim controller sets (MoIds, not paths). */
export function providerConfig(
    server: string,
    placement: Placement,
    ids: PlacementIds,
): Record<string, string> {
    const { host, port } = splitServer(server);
    return {
        VcPNID: host,
        VcPort: port,
        VcCredsSecretName: CREDENTIALS_SECRET_NAME,
        Datacenter: ids.datacenter,
        ResourcePool: ids.resourcePool,
        Folder: ids.folder,
        StorageClassRequired: "true",
        UseInventoryAsContentSource: "false",
        InsecureSkipTLSVerify: "false",
        CAFilePath: `${CA_MOUNT_PATH}/${CA_FILE}`,
        // Not vm-operator's: CAPV's tests and net-operator read them.
        "CAPV-TEST-Server": `${host}:${port}`,
        "CAPV-TEST-DatacenterName": placement.datacenter,
        "CAPV-TEST-PortGroup": placement.portGroup,
    };
}
