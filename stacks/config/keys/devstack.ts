import { DEFAULT_DEVSTACK } from "../../../components/devstack/settings";
import { KeySpec } from "./spec";

/** ci, devstack: CAPO's two-node DevStack on GCP. */
export const DEVSTACK_SPECS = {
    gcpProject: {
        type: "string",
        default: "",
        description: "devstack: the GCP project (required).",
        fills: "devstack.project",
    },
    gcpProjectLeased: {
        type: "boolean",
        default: DEFAULT_DEVSTACK.projectLeased,
        description:
            "devstack: true when the GCP project is the run's alone (a Boskos lease; the CI run flow sets it when the job has GCP_PROJECT): GCP objects keep the seed's names. Otherwise each name carries a hash of the stack, so runs sharing the project never meet.",
        fills: "devstack.projectLeased",
    },
    gcpRegion: {
        type: "string",
        default: DEFAULT_DEVSTACK.region,
        description: "devstack: the GCP region.",
        fills: "devstack.region",
    },
    gcpZone: {
        type: "string",
        default: "",
        description: "devstack: the controller's zone; defaults to the first of gcpZones.",
        fills: "devstack.zone",
    },
    gcpWorkerZone: {
        type: "string",
        default: "",
        description:
            "devstack: the worker's zone; defaults to gcpZone. A stockout moves only the machine GCE could not place.",
        fills: "devstack.workerZone",
    },
    gcpZones: {
        type: "array",
        default: [],
        description:
            "devstack: zones tried in order when GCP has no capacity; defaults to the region's -a, -b, -c.",
        fills: "devstack.zones",
    },
    devstackName: {
        type: "string",
        default: DEFAULT_DEVSTACK.name,
        description:
            "devstack: prefix of every GCP object, and the clouds.yaml cloud (OPENSTACK_CLOUD).",
        fills: "devstack.name",
    },
    openstackRelease: {
        type: "string",
        default: DEFAULT_DEVSTACK.openstackRelease,
        description: "devstack: DevStack and plugins are installed from stable/<release>.",
        fills: "devstack.openstackRelease",
    },
    devstackPrivateCidr: {
        type: "string",
        default: DEFAULT_DEVSTACK.privateCidr,
        description: "devstack: the machines' network (PRIVATE_NETWORK_CIDR).",
        fills: "devstack.privateCidr",
    },
    devstackFloatingRange: {
        type: "string",
        default: DEFAULT_DEVSTACK.floatingRange,
        description: "devstack: floating IPs (FLOATING_RANGE); must not overlap the private CIDR.",
        fills: "devstack.floatingRange",
    },
    devstackControllerIp: {
        type: "string",
        default: "",
        description:
            "devstack: the controller's fixed address; defaults to the .15 of the private CIDR.",
        fills: "devstack.controllerIp",
    },
    devstackWorkerIp: {
        type: "string",
        default: "",
        description:
            "devstack: the worker's fixed address; defaults to the .16 of the private CIDR.",
        fills: "devstack.workerIp",
    },
    devstackPrimaryAz: {
        type: "string",
        default: DEFAULT_DEVSTACK.primaryAz,
        description: "devstack: the controller's availability zone (OPENSTACK_FAILURE_DOMAIN).",
        fills: "devstack.primaryAz",
    },
    devstackSecondaryAz: {
        type: "string",
        default: DEFAULT_DEVSTACK.secondaryAz,
        description: "devstack: the worker's availability zone (OPENSTACK_FAILURE_DOMAIN_ALT).",
        fills: "devstack.secondaryAz",
    },
    devstackControllerMachineType: {
        type: "string",
        default: DEFAULT_DEVSTACK.controllerMachineType,
        description: "devstack: the controller's machine type.",
        fills: "devstack.controllerMachineType",
    },
    devstackWorkerMachineType: {
        type: "string",
        default: DEFAULT_DEVSTACK.workerMachineType,
        description: "devstack: the worker's machine type.",
        fills: "devstack.workerMachineType",
    },
    devstackMinCpuPlatform: {
        type: "string",
        default: DEFAULT_DEVSTACK.minCpuPlatform,
        description: "devstack: minimum CPU platform (nested virtualization).",
        fills: "devstack.minCpuPlatform",
    },
    devstackVcpuQuota: {
        type: "integer",
        default: DEFAULT_DEVSTACK.vcpuQuota,
        description: "devstack: the job's vCPU quota, which controller plus worker must fit.",
        fills: "devstack.vcpuQuota",
    },
    devstackBootImage: {
        type: "string",
        default: DEFAULT_DEVSTACK.bootImage,
        description: "devstack: the machines' boot image.",
        fills: "devstack.bootImage",
    },
    devstackBootDiskSizeGb: {
        type: "integer",
        default: DEFAULT_DEVSTACK.bootDiskSizeGb,
        description: "devstack: boot disk size in GB (10-65536).",
        fills: "devstack.bootDiskSizeGb",
    },
    devstackBootDiskType: {
        type: "string",
        default: DEFAULT_DEVSTACK.bootDiskType,
        description:
            "devstack: boot disk type (pd-standard, pd-balanced, pd-ssd, pd-extreme, hyperdisk-balanced).",
        fills: "devstack.bootDiskType",
    },
    devstackSourceRanges: {
        type: "array",
        default: DEFAULT_DEVSTACK.sourceRanges,
        description: "devstack: CIDRs allowed to reach http, neutron, icmp and ssh.",
        fills: "devstack.sourceRanges",
    },
    devstackAdditionalServices: {
        type: "string",
        default: DEFAULT_DEVSTACK.additionalServices,
        description:
            "devstack: extra DevStack services, comma-separated (OPENSTACK_ADDITIONAL_SERVICES).",
        fills: "devstack.additionalServices",
    },
    devstackSshuttleVersion: {
        type: "string",
        default: DEFAULT_DEVSTACK.sshuttleVersion,
        description: "devstack: the sshuttle version the tunnel requires.",
        fills: "devstack.sshuttleVersion",
    },
    devstackImages: {
        type: "array",
        default: DEFAULT_DEVSTACK.images,
        description:
            "devstack: images uploaded to Glance after install, in order (CAPO's cirros and ubuntu kube image).",
        fills: "devstack.images",
    },
} satisfies Record<string, KeySpec>;
