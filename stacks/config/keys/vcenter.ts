import { KeySpec } from "./spec";

/** ci, vmc: the VMC vCenter. */
export const VCENTER_SPECS = {
    vsphereServer: {
        type: "string",
        default: "",
        description: "ci: the vCenter's host or host:port (required).",
    },
    vsphereUsername: {
        type: "string",
        default: "",
        description: "ci: the vCenter user (required).",
    },
    vsphereTlsThumbprint: {
        type: "string",
        default: "",
        description: "ci: SHA-256 thumbprint of the vCenter's certificate, AB:CD:... (required).",
    },
    vsphereDatacenter: {
        type: "string",
        default: "SDDC-Datacenter",
        description: "ci: the datacenter.",
    },
    vsphereDatastore: {
        type: "string",
        default: "WorkloadDatastore",
        description: "ci: the datastore.",
    },
    vsphereNetwork: {
        type: "string",
        default: "sddc-cgw-network-5",
        description: "ci: the network machines attach to.",
    },
    vsphereFolder: {
        type: "string",
        default: "clusterapi",
        description: "ci: the VM folder.",
    },
    vsphereResourcePool: {
        type: "string",
        default: "clusterapi",
        description: "ci: the resource pool.",
    },
    vsphereTemplate: {
        type: "string",
        default: "ubuntu-2204-kube-v1.28.0",
        description: "ci: the machine template.",
    },
    vsphereIpPool: {
        type: "string",
        default: "",
        description:
            'ci: static addresses for the jump host and bootstrap VM, as a Boskos project\'s ipPool userdata: {"addresses":["FIRST-LAST"],"gateway":"...","prefix":N}. Empty: DHCP.',
    },
    vspherePassword: {
        secret: true,
        description:
            "ci: the vCenter user's password (required; a CI run takes it from $VSPHERE_PASSWORD).",
    },
} satisfies Record<string, KeySpec>;
