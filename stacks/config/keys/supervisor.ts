import {
    SEED_STORAGE_CLASSES,
    SEED_VM_CLASSES,
} from "../../../components/supervisor/dependencies-spec";
import { KeySpec } from "./spec";

/** The limited supervisor: local, on the bootstrap cluster; ci, on supervisorKubeconfig's. */
export const SUPERVISOR_SPECS = {
    supervisor: {
        type: "boolean",
        default: true,
        description:
            "Deploy the limited supervisor: the vcsim controller, vm-operator, net-operator and vm-operator's dependencies. local: onto the bootstrap cluster; ci: only when the secret supervisorKubeconfig names a cluster.",
    },
    vcsimControllerImage: {
        type: "string",
        default: "gcr.io/k8s-staging-capi-vsphere/cluster-api-vcsim-controller:main",
        description: "Image of the vcsim controller's manager.",
    },
    vcsimControllerArgs: {
        type: "array",
        default: ["--v=2", "--logging-format=json"],
        description: "Arguments of the vcsim controller's manager.",
    },
    vcsimControllerResources: {
        type: "boolean",
        default: true,
        description:
            "Create a VCenterSimulator, a ControlPlaneEndpoint and an EnvVar for the workload cluster. ci waits for the EnvVar's variables (a real controller runs); local records them (the project's own providers do the controller's work).",
    },
    vmOperatorManifest: {
        type: "string",
        default: "",
        description:
            "vm-operator's manifest: a file (relative to the project) or an https URL pinned by vmOperatorManifestSha256. Empty: the project's own minimal manifest (components/supervisor/manifests).",
    },
    vmOperatorManifestSha256: {
        type: "string",
        default: "",
        description: "SHA-256 (lowercase hex) the manifest at a vmOperatorManifest URL must have.",
    },
    netOperatorImage: {
        type: "string",
        default: "gcr.io/k8s-staging-capi-vsphere/cluster-api-net-operator:main",
        description: "Image of the net-operator's manager.",
    },
    supervisorConnection: {
        type: "boolean",
        default: false,
        description:
            "vm-operator's dependencies from the stack's VCenterConnection (local: the simulator's; ci: VMC's). Exactly one of this and supervisorSimulator.",
    },
    supervisorSimulator: {
        type: "boolean",
        default: true,
        description:
            "vm-operator's dependencies from the stack's simulator (the seed's vCenterSimulatorRef; local only). Exactly one of this and supervisorConnection.",
    },
    supervisorStorageClasses: {
        type: "array",
        default: SEED_STORAGE_CLASSES.map((c) => `${c.name}=${c.storagePolicy}`),
        description:
            "StorageClasses for vm-operator, as NAME=STORAGE_POLICY; in supervisor mode the first is VSPHERE_STORAGE_CLASS's.",
        fills: "classes.storageClasses",
    },
    supervisorVmClasses: {
        type: "array",
        default: SEED_VM_CLASSES.map((c) => `${c.name}=${c.cpus},${c.memory}`),
        description:
            "VirtualMachineClasses, as NAME=CPUS,MEMORY (CPUS at least 1); in supervisor mode the first is VSPHERE_MACHINE_CLASS_NAME's.",
        fills: "classes.virtualMachineClasses",
    },
    supervisorContentLibrary: {
        type: "string",
        default: "vm-operator-images",
        description:
            "The content library the stack makes in vCenter for supervisorLibraryItems (without items, the images come from the simulator's own library, or in ci the seed's vcsim).",
    },
    supervisorLibraryItems: {
        type: "array",
        default: [],
        description:
            "Items for the stack to import into supervisorContentLibrary (with supervisorConnection), as NAME=SOURCE, SOURCE an .ovf/.ova file or http(s) URL; each is a VirtualMachineImage. Removed on destroy.",
    },
    supervisorKubeconfig: {
        secret: true,
        description:
            "ci: the kubeconfig of the cluster the limited supervisor is deployed to; without it, ci deploys none.",
    },
} satisfies Record<string, KeySpec>;
