import { checkInteger, checkOneOf, checkPattern, Issue } from "../../providers/validation";
import { RunIdentity } from "../run-identity";
import { contains, isUsableHost, nthAddress, overlaps, parseCidr, parseIp } from "./cidr";
import { vcpusOf, vendorOfMachineType, vendorOfPlatform } from "./machine-types";
import { allObjectNames, GCP_NAME_MAX, objectPrefix, Role } from "./names";

/** An OpenStack flavor the post-install creates (CAPO's create_devstack.sh's m1.tiny, m1.small, m1.medium). */
export interface Flavor {
    name: string;
    id: string;
    ramMb: number;
    diskGb: number;
    vcpus: number;
}

/** The two-node DevStack on GCP, as CAPO's create_devstack.sh configures it. */
export interface DevStackSettings {
    /** Prefix of every GCP object (see objectPrefix) and the clouds.yaml cloud name. Defaults to capo-e2e. */
    name: string;
    project: string;
    /**
     * Whether the project is the run's alone (Boskos leased it): GCP objects keep CAPO's create_devstack.sh
     * names. In a shared project every name carries a hash of the run's stack. Defaults to false.
     */
    projectLeased: boolean;
    /** Defaults to us-east4. */
    region: string;
    /** The controller's zone. Defaults to us-east4-a; the CI run falls back through `zones` on a stockout. */
    zone: string;
    /** The worker's zone (the subnet is regional: fixed IPs work in any zone). Defaults to `zone`. */
    workerZone: string;
    /** Zones to try in order when GCP has no capacity. Defaults to us-east4-a, -b, -c. */
    zones: string[];
    /** DevStack branch stable/<release>. Defaults to 2026.1. */
    openstackRelease: string;
    /** Defaults to 10.0.3.0/24. */
    privateCidr: string;
    /** Defaults to 172.24.4.0/24. */
    floatingRange: string;
    /** Defaults to the .15 of privateCidr. */
    controllerIp: string;
    /** Defaults to the .16 of privateCidr. */
    workerIp: string;
    /** OPENSTACK_FAILURE_DOMAIN, the controller's zone. Defaults to testaz1. */
    primaryAz: string;
    /** OPENSTACK_FAILURE_DOMAIN_ALT, the worker's zone. Defaults to testaz2. */
    secondaryAz: string;
    /** Defaults to n2-standard-16. */
    controllerMachineType: string;
    /** Defaults to n2-standard-8. */
    workerMachineType: string;
    /** Defaults to Intel Cascade Lake. */
    minCpuPlatform: string;
    /** The job's vCPU quota, which both machines must fit. Defaults to 24. */
    vcpuQuota: number;
    /** Defaults to ubuntu-os-cloud/ubuntu-2404-lts-amd64. */
    bootImage: string;
    /** Defaults to 500. */
    bootDiskSizeGb: number;
    /** Defaults to pd-ssd. */
    bootDiskType: string;
    /** Where http, neutron, icmp and ssh are allowed from. Defaults to 0.0.0.0/0. */
    sourceRanges: string[];
    /** Appended to the controller's and worker's ENABLED_SERVICES (OPENSTACK_ADDITIONAL_SERVICES). */
    additionalServices: string;
    /** Images uploaded to Glance after install, in order (cirros first, as CAPO: the smallest). */
    images: string[];
    flavors: Flavor[];
    /** The sshuttle version the tunnel requires (Debian bookworm's). Defaults to 1.1.1. */
    sshuttleVersion: string;
    /** Who the objects belong to, for janitors. */
    run: RunIdentity;
}

/** The setting that holds each machine's zone. */
export const ZONE_FIELDS: Record<Role, "zone" | "workerZone"> = {
    controller: "zone",
    worker: "workerZone",
};

const ARTIFACTS =
    "https://storage.googleapis.com/artifacts.k8s-staging-capi-openstack.appspot.com/test";

export const DEFAULT_DEVSTACK: Omit<DevStackSettings, "project" | "run"> = {
    name: "capo-e2e",
    projectLeased: false,
    region: "us-east4",
    zone: "us-east4-a",
    workerZone: "us-east4-a",
    zones: ["us-east4-a", "us-east4-b", "us-east4-c"],
    openstackRelease: "2026.1",
    privateCidr: "10.0.3.0/24",
    floatingRange: "172.24.4.0/24",
    controllerIp: "10.0.3.15",
    workerIp: "10.0.3.16",
    primaryAz: "testaz1",
    secondaryAz: "testaz2",
    controllerMachineType: "n2-standard-16",
    workerMachineType: "n2-standard-8",
    minCpuPlatform: "Intel Cascade Lake",
    vcpuQuota: 24,
    bootImage: "ubuntu-os-cloud/ubuntu-2404-lts-amd64",
    bootDiskSizeGb: 500, // CAPO's current script, with its Ubuntu 24.04 image
    bootDiskType: "pd-ssd",
    sourceRanges: ["0.0.0.0/0"],
    additionalServices: "",
    images: [
        `${ARTIFACTS}/cirros/2022-12-05/cirros-0.6.1-x86_64-disk.img`,
        `${ARTIFACTS}/ubuntu/2024-01-10/ubuntu-2204-kube-v1.28.5.img`,
    ],
    flavors: [
        { name: "m1.tiny", id: "1", ramMb: 512, diskGb: 1, vcpus: 1 },
        { name: "m1.small", id: "2", ramMb: 4192, diskGb: 10, vcpus: 2 },
        { name: "m1.medium", id: "3", ramMb: 6144, diskGb: 10, vcpus: 4 },
    ],
    sshuttleVersion: "1.1.1",
};

/** The amphora image Octavia boots, uploaded by DevStack itself (IMAGE_URLS). */
export const AMPHORA_IMAGE = `${ARTIFACTS}/amphora/2022-12-05/amphora-x64-haproxy.qcow2`;

/** Glance's total image size limit per project, in MiB, as CAPO raises it for its test images. */
export const GLANCE_LIMIT_IMAGE_SIZE_TOTAL_MB = 20000;

/** GCE's MTU for the VPC, which neutron's ml2 path_mtu must match. */
export const MTU = 1460;

/** OPENSTACK_ADDITIONAL_SERVICES, comma-separated, as a list. */
export function additionalServices(s: DevStackSettings): string[] {
    return s.additionalServices
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean);
}

/** The controller's and worker's fixed addresses when not set: the .15 and .16 of the CIDR. */
export function defaultHostIps(
    privateCidr: string,
): { controllerIp: string; workerIp: string } | undefined {
    const cidr = parseCidr(privateCidr);
    if (cidr === undefined || cidr.prefix > 27) {
        return undefined;
    }
    return { controllerIp: nthAddress(cidr, 15), workerIp: nthAddress(cidr, 16) };
}

const GCP_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const GCP_NAME_RULE =
    "a GCP name prefix: lowercase letters, digits and '-', starting with a letter";
const PROJECT_ID = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;
const REGION = /^[a-z]+-[a-z]+\d+$/;
const DISK_TYPES = ["pd-standard", "pd-balanced", "pd-ssd", "pd-extreme", "hyperdisk-balanced"];

/** How a message names another setting: by its field, or by the configuration key that sets it. */
export type FieldName = (field: keyof DevStackSettings) => string;

/**
 * Every rule the settings break, named by field; empty when a DevStack can be built. Messages
 * that refer to another setting name it through `name` (the stack configuration passes its keys).
 */
export function validateDevStack(s: DevStackSettings, name: FieldName = (f) => f): Issue[] {
    const issues: Issue[] = [
        ...checkPattern("name", s.name, GCP_NAME, GCP_NAME_RULE),
        ...nameLengthIssues(s),
        ...checkPattern(
            "project",
            s.project,
            PROJECT_ID,
            "a GCP project id (6-30 lowercase letters, digits, '-')",
        ),
        ...checkPattern("region", s.region, REGION, "a GCP region such as us-east4"),
        ...checkPattern(
            "openstackRelease",
            s.openstackRelease,
            /^(\d{4}\.[12]|[a-z]+)$/,
            "a release such as 2026.1 or victoria",
        ),
        ...checkPattern("primaryAz", s.primaryAz, /^[a-z][a-z0-9-]*$/, "an availability zone name"),
        ...checkPattern(
            "secondaryAz",
            s.secondaryAz,
            /^[a-z][a-z0-9-]*$/,
            "an availability zone name",
        ),
        ...checkPattern("bootImage", s.bootImage, /^\S+$/, "a GCP image such as PROJECT/FAMILY"),
        ...checkPattern(
            "additionalServices",
            s.additionalServices,
            /^([\w-]+(,[\w-]+)*)?$/,
            "DevStack service names, comma-separated",
        ),
        ...checkInteger("vcpuQuota", s.vcpuQuota, 1, 10000),
        ...checkInteger("bootDiskSizeGb", s.bootDiskSizeGb, 10, 65536),
        ...checkOneOf("bootDiskType", s.bootDiskType, DISK_TYPES),
        ...checkPattern(
            "sshuttleVersion",
            s.sshuttleVersion,
            /^\d+\.\d+\.\d+$/,
            "a version such as 1.1.1",
        ),
        ...s.images.flatMap((url, i) =>
            checkPattern(`images[${i}]`, url, /^https?:\/\/\S+$/, "an http(s) URL"),
        ),
    ];
    if (s.primaryAz === s.secondaryAz) {
        issues.push({
            field: "secondaryAz",
            message: `must differ from ${name("primaryAz")} (${s.primaryAz})`,
        });
    }
    issues.push(...zoneIssues(s, name), ...networkIssues(s, name), ...machineIssues(s, name));
    return issues;
}

/** The prefix must leave room for the longest name derived from it. */
function nameLengthIssues(s: DevStackSettings): Issue[] {
    const longest = allObjectNames(objectPrefix(s)).reduce((a, b) => (b.length > a.length ? b : a));
    if (longest.length <= GCP_NAME_MAX) {
        return [];
    }
    const max = GCP_NAME_MAX - (longest.length - s.name.length);
    return [
        {
            field: "name",
            message: `must be at most ${max} characters, so that ${longest} fits GCP's ${GCP_NAME_MAX}; got ${s.name.length}`,
        },
    ];
}

function zoneIssues(s: DevStackSettings, name: FieldName): Issue[] {
    const inRegion = (field: string, zone: string): Issue[] =>
        new RegExp(`^${s.region}-[a-z]$`).test(zone)
            ? []
            : [
                  {
                      field,
                      message: `must be a zone of region ${s.region} (${s.region}-a, ...); got ${JSON.stringify(zone)}`,
                  },
              ];
    // A worker in the controller's zone has the controller's issues: report them once.
    const fields =
        s.workerZone === s.zone ? (["zone"] as const) : (["zone", "workerZone"] as const);
    const issues = [
        ...fields.flatMap((field) => inRegion(field, s[field])),
        ...s.zones.flatMap((z, i) => inRegion(`zones[${i}]`, z)),
    ];
    for (const field of fields) {
        if (s.zones.length > 0 && !s.zones.includes(s[field])) {
            issues.push({
                field,
                message: `must be one of ${name("zones")} (${s.zones.join(", ")}), the fallback order; got ${s[field]}`,
            });
        }
    }
    s.zones.forEach((z, i) => {
        if (s.zones.indexOf(z) !== i) {
            issues.push({ field: `zones[${i}]`, message: `repeats ${z}` });
        }
    });
    return issues;
}

function networkIssues(s: DevStackSettings, name: FieldName): Issue[] {
    const issues: Issue[] = [];
    const cidr = (field: string, value: string) => {
        const parsed = parseCidr(value);
        if (parsed === undefined) {
            issues.push({
                field,
                message: `must be an IPv4 CIDR with no host bits, such as 10.0.3.0/24; got ${JSON.stringify(value)}`,
            });
        }
        return parsed;
    };
    const priv = cidr("privateCidr", s.privateCidr);
    const floating = cidr("floatingRange", s.floatingRange);
    if (s.sourceRanges.length === 0) {
        issues.push({
            field: "sourceRanges",
            message:
                "must list at least one CIDR (0.0.0.0/0 for anywhere): GCP refuses ingress rules from nowhere",
        });
    }
    s.sourceRanges.forEach((r, i) => cidr(`sourceRanges[${i}]`, r));
    if (priv && floating && overlaps(priv, floating)) {
        issues.push({
            field: "floatingRange",
            message: `must not overlap ${name("privateCidr")} ${s.privateCidr}; got ${s.floatingRange}`,
        });
    }
    for (const field of ["controllerIp", "workerIp"] as const) {
        const address = parseIp(s[field]);
        if (address === undefined) {
            issues.push({
                field,
                message: `must be an IPv4 address; got ${JSON.stringify(s[field])}`,
            });
        } else if (priv && !isUsableHost(priv, address)) {
            const where = contains(priv, address) ? "a reserved address of" : "outside";
            issues.push({
                field,
                message: `${s[field]} is ${where} ${name("privateCidr")} ${s.privateCidr}`,
            });
        }
    }
    if (s.controllerIp === s.workerIp) {
        issues.push({
            field: "workerIp",
            message: `must differ from ${name("controllerIp")} (${s.controllerIp})`,
        });
    }
    return issues;
}

function machineIssues(s: DevStackSettings, name: FieldName): Issue[] {
    const issues: Issue[] = [];
    const vcpus = (field: "controllerMachineType" | "workerMachineType") => {
        const n = vcpusOf(s[field]);
        if (n === undefined) {
            issues.push({
                field,
                message: `must be a GCE machine type such as n2-standard-8; got ${JSON.stringify(s[field])}`,
            });
        }
        return n;
    };
    const controller = vcpus("controllerMachineType");
    const worker = vcpus("workerMachineType");
    if (controller !== undefined && worker !== undefined && controller + worker > s.vcpuQuota) {
        issues.push({
            field: "vcpuQuota",
            message: `is ${s.vcpuQuota} vCPUs, but controller ${s.controllerMachineType} (${controller}) and worker ${s.workerMachineType} (${worker}) need ${controller + worker}`,
        });
    }
    // GCE accepts a mismatch at preview and fails at create, after the network exists.
    const platform = vendorOfPlatform(s.minCpuPlatform);
    for (const field of ["controllerMachineType", "workerMachineType"] as const) {
        const family = vendorOfMachineType(s[field]);
        if (platform !== undefined && family !== undefined && platform !== family) {
            issues.push({
                field: "minCpuPlatform",
                message: `is an ${platform} platform (${s.minCpuPlatform}), but ${name(field)} ${s[field]} has ${family} CPUs: use an ${family} platform or an ${platform} machine family`,
            });
        }
    }
    return issues;
}
