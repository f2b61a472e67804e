import * as pulumi from "@pulumi/pulumi";
import {
    defaultHostIps,
    DEFAULT_DEVSTACK,
    DevStackSettings,
    validateDevStack,
} from "../../components/devstack/settings";
import { checkOneOf, checkPattern, Issue } from "../../providers/validation";
import { ProwConfig, readProw } from "./prow";
import { fieldKeys, Key } from "./keys";
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

/** Which key fills each DevStack setting. */
export const DEVSTACK_KEYS = fieldKeys("devstack");

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
        server: reader.get("vsphereServer"),
        username: reader.get("vsphereUsername"),
        thumbprint: reader.get("vsphereTlsThumbprint"),
        datacenter: reader.get("vsphereDatacenter"),
        datastore: reader.get("vsphereDatastore"),
        network: reader.get("vsphereNetwork"),
        folder: reader.get("vsphereFolder"),
        resourcePool: reader.get("vsphereResourcePool"),
        template: reader.get("vsphereTemplate"),
    };
    const password = reader.secret("vspherePassword");
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
        ).flatMap((key) => required(key, reader.get(key), "vmc")),
    ]);
    return { ...vcenter, password: password ?? pulumi.output("") };
}

function readDevStack(reader: Reader, common: CommonSettings): DevStackSettings {
    const region = reader.get("gcpRegion");
    const zones = reader.get("gcpZones");
    const fallbackZones = zones.length > 0 ? zones : ["a", "b", "c"].map((z) => `${region}-${z}`);
    const privateCidr = reader.get("devstackPrivateCidr");
    const hosts = defaultHostIps(privateCidr);
    const zone = reader.get("gcpZone") || fallbackZones[0];
    const settings: DevStackSettings = {
        ...DEFAULT_DEVSTACK,
        name: reader.get("devstackName"),
        project: reader.get("gcpProject"),
        projectLeased: reader.get("gcpProjectLeased"),
        region,
        zones: fallbackZones,
        zone,
        workerZone: reader.get("gcpWorkerZone") || zone,
        openstackRelease: reader.get("openstackRelease"),
        privateCidr,
        floatingRange: reader.get("devstackFloatingRange"),
        controllerIp: reader.get("devstackControllerIp") || (hosts?.controllerIp ?? ""),
        workerIp: reader.get("devstackWorkerIp") || (hosts?.workerIp ?? ""),
        primaryAz: reader.get("devstackPrimaryAz"),
        secondaryAz: reader.get("devstackSecondaryAz"),
        controllerMachineType: reader.get("devstackControllerMachineType"),
        workerMachineType: reader.get("devstackWorkerMachineType"),
        minCpuPlatform: reader.get("devstackMinCpuPlatform"),
        vcpuQuota: reader.get("devstackVcpuQuota"),
        bootImage: reader.get("devstackBootImage"),
        bootDiskSizeGb: reader.get("devstackBootDiskSizeGb"),
        bootDiskType: reader.get("devstackBootDiskType"),
        sourceRanges: reader.get("devstackSourceRanges"),
        additionalServices: reader.get("devstackAdditionalServices"),
        sshuttleVersion: reader.get("devstackSshuttleVersion"),
        images: reader.get("devstackImages"),
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
    const environments = reader.get("ciEnvironments") as CiEnvironment[];
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
