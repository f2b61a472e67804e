import * as pulumi from "@pulumi/pulumi";
import {
    defaultHostIps,
    DEFAULT_DEVSTACK,
    DevStackSettings,
    validateDevStack,
} from "../../components/devstack/settings";
import { checkOneOf, checkPattern, Issue } from "../../providers/validation";
import { ProwConfig, readProw } from "./prow";
import { Key } from "./defaults";
import { Reader } from "./reader";
import {
    CI_ENVIRONMENTS,
    CiEnvironment,
    CiSettings,
    CommonSettings,
    VCenterSettings,
} from "./types";

/** SHA-256 colon-hex, as vSphere shows certificate thumbprints. */
const THUMBPRINT = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

/** Which DevStack setting each key sets. */
export const DEVSTACK_KEYS = {
    name: "devstackName",
    project: "gcpProject",
    projectLeased: "gcpProjectLeased",
    region: "gcpRegion",
    zone: "gcpZone",
    workerZone: "gcpWorkerZone",
    zones: "gcpZones",
    openstackRelease: "openstackRelease",
    privateCidr: "devstackPrivateCidr",
    floatingRange: "devstackFloatingRange",
    controllerIp: "devstackControllerIp",
    workerIp: "devstackWorkerIp",
    primaryAz: "devstackPrimaryAz",
    secondaryAz: "devstackSecondaryAz",
    controllerMachineType: "devstackControllerMachineType",
    workerMachineType: "devstackWorkerMachineType",
    minCpuPlatform: "devstackMinCpuPlatform",
    vcpuQuota: "devstackVcpuQuota",
    bootImage: "devstackBootImage",
    bootDiskSizeGb: "devstackBootDiskSizeGb",
    bootDiskType: "devstackBootDiskType",
    sourceRanges: "devstackSourceRanges",
    additionalServices: "devstackAdditionalServices",
    sshuttleVersion: "devstackSshuttleVersion",
    images: "devstackImages",
} satisfies Partial<Record<keyof DevStackSettings, Key>>;

const keysByField: Partial<Record<keyof DevStackSettings, Key>> = DEVSTACK_KEYS;
const devstackKey = (field: keyof DevStackSettings): string => keysByField[field] ?? field;

/** Why a CI run's stack (one with a jobName) never lists prow. */
export const PROW_IS_LONG_LIVED =
    "the Prow registration is long-lived, and each run's down would delete Prow's kubeconfig " +
    "secret and the jobs namespace on every build cluster. It lives in the ci stack itself: " +
    "`npm run up ci` (hack/run up ci)";

function required(key: string, value: string, environment: CiEnvironment): Issue[] {
    return value === ""
        ? [{ field: key, message: `is required when ciEnvironments lists ${environment}` }]
        : [];
}

function readVCenter(reader: Reader): VCenterSettings {
    const vcenter = {
        server: reader.text("vsphereServer"),
        username: reader.text("vsphereUsername"),
        thumbprint: reader.text("vsphereTlsThumbprint"),
        datacenter: reader.text("vsphereDatacenter"),
        datastore: reader.text("vsphereDatastore"),
        network: reader.text("vsphereNetwork"),
        folder: reader.text("vsphereFolder"),
        resourcePool: reader.text("vsphereResourcePool"),
        template: reader.text("vsphereTemplate"),
    };
    const password = reader.source.getSecret("vspherePassword");
    const set = (key: string, value: string, check: () => Issue[]) =>
        value === "" ? required(key, value, "vmc") : check();
    reader.report([
        ...set("vsphereServer", vcenter.server, () =>
            checkPattern(
                "vsphereServer",
                vcenter.server,
                /^[A-Za-z0-9.-]+(:\d+)?$/,
                "a host name or host:port",
            ),
        ),
        ...required("vsphereUsername", vcenter.username, "vmc"),
        ...(password === undefined
            ? [
                  {
                      field: "vspherePassword",
                      message: "is required when ciEnvironments lists vmc (set it with --secret)",
                  },
              ]
            : []),
        ...set("vsphereTlsThumbprint", vcenter.thumbprint, () =>
            checkPattern(
                "vsphereTlsThumbprint",
                vcenter.thumbprint,
                THUMBPRINT,
                "a SHA-256 thumbprint (AB:CD:... 32 uppercase hex pairs)",
            ),
        ),
        ...(
            [
                "vsphereDatacenter",
                "vsphereDatastore",
                "vsphereNetwork",
                "vsphereFolder",
                "vsphereResourcePool",
                "vsphereTemplate",
            ] as const
        ).flatMap((key) => required(key, reader.text(key), "vmc")),
    ]);
    return { ...vcenter, password: password ?? pulumi.output("") };
}

function readDevStack(reader: Reader, common: CommonSettings): DevStackSettings {
    const region = reader.text("gcpRegion");
    const zones = reader.list("gcpZones");
    const fallbackZones = zones.length > 0 ? zones : ["a", "b", "c"].map((z) => `${region}-${z}`);
    const privateCidr = reader.text("devstackPrivateCidr");
    const hosts = defaultHostIps(privateCidr);
    const zone = reader.text("gcpZone") || fallbackZones[0];
    const settings: DevStackSettings = {
        ...DEFAULT_DEVSTACK,
        name: reader.text("devstackName"),
        project: reader.text("gcpProject"),
        projectLeased: reader.boolean("gcpProjectLeased"),
        region,
        zones: fallbackZones,
        zone,
        workerZone: reader.text("gcpWorkerZone") || zone,
        openstackRelease: reader.text("openstackRelease"),
        privateCidr,
        floatingRange: reader.text("devstackFloatingRange"),
        controllerIp: reader.text("devstackControllerIp") || (hosts?.controllerIp ?? ""),
        workerIp: reader.text("devstackWorkerIp") || (hosts?.workerIp ?? ""),
        primaryAz: reader.text("devstackPrimaryAz"),
        secondaryAz: reader.text("devstackSecondaryAz"),
        controllerMachineType: reader.text("devstackControllerMachineType"),
        workerMachineType: reader.text("devstackWorkerMachineType"),
        minCpuPlatform: reader.text("devstackMinCpuPlatform"),
        vcpuQuota: reader.integer("devstackVcpuQuota"),
        bootImage: reader.text("devstackBootImage"),
        bootDiskSizeGb: reader.integer("devstackBootDiskSizeGb"),
        bootDiskType: reader.text("devstackBootDiskType"),
        sourceRanges: reader.list("devstackSourceRanges"),
        additionalServices: reader.text("devstackAdditionalServices"),
        sshuttleVersion: reader.text("devstackSshuttleVersion"),
        images: reader.list("devstackImages"),
        run: common.run,
    };
    // Every issue at once: a missing project is reported as such, beside all the others.
    const issues = validateDevStack(settings, devstackKey).filter(
        (i) => settings.project !== "" || i.field !== "project",
    );
    reader.report(
        [...required("gcpProject", settings.project, "devstack"), ...issues],
        DEVSTACK_KEYS,
    );
    return settings;
}

/** The real Prow needs its service cluster, the build clusters' kubeconfigs and the automation key. */
function readCiProw(reader: Reader): ProwConfig {
    const prow = readProw(reader);
    const secret = (key: string, value: unknown): Issue[] =>
        value === undefined
            ? [
                  {
                      field: key,
                      message: "is required when ciEnvironments lists prow (set it with --secret)",
                  },
              ]
            : [];
    reader.report([
        ...secret("prowServiceKubeconfig", prow.serviceKubeconfig),
        ...secret("prowKubeconfigs", prow.buildKubeconfigs),
        ...required("gpgPublicKey", prow.gpgPublicKey, "prow"),
    ]);
    return prow;
}

export function readCi(reader: Reader, common: CommonSettings): CiSettings {
    const environments = reader.list("ciEnvironments") as CiEnvironment[];
    environments.forEach((e, i) =>
        reader.report(checkOneOf(`ciEnvironments[${i}]`, e, CI_ENVIRONMENTS)),
    );
    if (common.run.jobName !== "" && environments.includes("prow")) {
        reader.report([
            {
                field: "ciEnvironments",
                message: `must not list prow in a CI run's stack (jobName is set): ${PROW_IS_LONG_LIVED}`,
            },
        ]);
    }
    return {
        ...common,
        composition: "ci",
        environments,
        vcenter: environments.includes("vmc") ? readVCenter(reader) : undefined,
        devstack: environments.includes("devstack") ? readDevStack(reader, common) : undefined,
        prow: environments.includes("prow") ? readCiProw(reader) : undefined,
    };
}
