/**
 * Invalid configurations, each refused at preview with its key and rule named (issue 19, the
 * bad-input suite). Values are as `pulumi config set` takes them: lists as JSON text. Each
 * case is one rule broken on top of its stack's valid baseline.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { OUTER_SECRET_KEYS } from "../../components/vmc/names";
import { KEYS } from "../../stacks/config/keys";
import { CLUSTER_SPECS } from "../../stacks/config/keys/cluster";
import { DEVSTACK_SPECS } from "../../stacks/config/keys/devstack";
import { PROW_SPECS } from "../../stacks/config/keys/prow";
import { SIMULATOR_SPECS } from "../../stacks/config/keys/simulator";
import { STACK_SPECS } from "../../stacks/config/keys/stack";
import { SUPERVISOR_SPECS } from "../../stacks/config/keys/supervisor";
import { VCENTER_SPECS } from "../../stacks/config/keys/vcenter";
import { VMC_SPECS } from "../../stacks/config/keys/vmc";

export type BadInputStack = "local" | "ci";

export interface BadInputCase {
    stack: BadInputStack;
    /** The configuration on top of the stack's baseline. */
    config: Record<string, string>;
    /** The key the error names (with its list index or field, as the error shows it). */
    key: string;
    /** The rule, as the error states it after the key. */
    rule: string;
    /** Other keys the error may name too (a broken key can break a rule that depends on it). */
    alsoNames?: string[];
    /** Let through before this branch (issue 19): the rule was added or tightened here. */
    fixed?: true;
}

/** An .ova that exists, outside the project: a library item must not reach it. */
export const OUTSIDE_OVA = path.join(os.tmpdir(), "k8s-ci-envs-bad-input-outside.ova");

export function createOutsideFiles(): void {
    fs.writeFileSync(OUTSIDE_OVA, "not an appliance\n");
}

export function removeOutsideFiles(): void {
    fs.rmSync(OUTSIDE_OVA, { force: true });
}

const PGP_BLOCK =
    "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot parsed at read time\n-----END PGP PUBLIC KEY BLOCK-----\n";

/** The local stack's baseline: no configuration (Pulumi.yaml's defaults). */
export const LOCAL_BASELINE: Record<string, string> = {};

/** A ci stack that passes every configuration rule (its families need no secret beyond these). */
export const CI_BASELINE: Record<string, string> = {
    composition: "ci",
    ciEnvironments: '["vmc","devstack"]',
    vsphereServer: "vcenter.sddc-44-1.vmwarevmc.com",
    vsphereUsername: "cloudadmin@vmc.local",
    vsphereTlsThumbprint: Array(32).fill("0F").join(":"),
    // Any readable file of the project stands for CAPV's provider components.
    vmcProviderComponentSpec: "package.json",
    gcpProject: "k8s-infra-e2e-bad-input",
    gpgPublicKey: PGP_BLOCK,
};

/** Fake credentials for the ci baseline (set with --secret). */
export const CI_SECRETS: Record<string, string> = {
    vspherePassword: "not-a-password",
    vmcCiSecret: JSON.stringify(Object.fromEntries(OUTER_SECRET_KEYS.map((k) => [k, "fake"]))),
    prowServiceKubeconfig: "apiVersion: v1\nkind: Config\n",
    prowKubeconfigs: "{}",
};

const INSIDE = "must be a path inside the project";
const DNS = "must be a DNS label (lowercase letters, digits and '-', at most 63)";
const CONNECTION = { supervisorConnection: "true", supervisorSimulator: "false" };

const local = (
    key: string,
    value: string,
    rule: string,
    extra: Partial<BadInputCase> = {},
): BadInputCase => ({ stack: "local", config: { [key]: value }, key, rule, ...extra });
const ci = (key: string, value: string, rule: string, extra: Partial<BadInputCase> = {}) => ({
    ...local(key, value, rule, extra),
    stack: "ci" as const,
});

export const BAD_INPUT_CASES: BadInputCase[] = [
    // the stack: composition, output folder, run identity
    local("outputDir", "/etc/passwd", INSIDE, { fixed: true }),
    local("outputDir", "../elsewhere", INSIDE, { fixed: true }),
    local("outputDir", "/tmp", INSIDE, { fixed: true }),
    local("outputDir", ".", INSIDE, { fixed: true }),
    local("outputDir", "package.json", "must be a folder", { fixed: true }),
    ci("outputDir", "/etc/passwd", INSIDE, { fixed: true }),
    local("composition", "prod", "must be one of local, ci"),
    local("runTtlHours", "0", "must be an integer from 1 to 720"),
    local("runTtlHours", "1.5", "must be an integer; got"),
    ci("runTtlHours", "721", "must be an integer from 1 to 720"),
    local("pullNumber", "abc", "must be a pull request number", { fixed: true }),
    ci("ciEnvironments", '["gke"]', "must be one of vmc, devstack, prow", {
        key: "ciEnvironments[0]",
    }),
    {
        stack: "ci",
        config: { ciEnvironments: '["prow"]', jobName: "pull-capo-e2e" },
        key: "ciEnvironments",
        rule: "must not list prow in a CI run's stack (jobName is set)",
    },
    // the simulated vCenter (local)
    local("vcsimVsphereVersion", "9.0.0", "must be one of 6.7.0"),
    local("vcsimDatacenters", "0", "must be an integer from 1 to 10"),
    local("vcsimHostsPerCluster", "33", "must be an integer from 1 to 32"),
    local("vcsimResourcePools", "-1", "must be an integer from 0 to 10"),
    local("vcsimInventoryNames", "x", "must be one of vmc, vcsim"),
    local("vcsimTemplates", "[]", "must list at least one machine template"),
    local("vcsimTemplates", "not-a-list", "must be a list of strings"),
    local("vcsimContentLibrary", "", "must be a name of letters, digits"),
    local("envVarMode", "bad", "must be one of govmomi, supervisor"),
    local("controlPlaneEndpointPorts", "1-2", "must be a range MIN-MAX within 20000-24000"),
    // the limited supervisor
    local("supervisor", "yes", "must be true or false"),
    local("vcsimControllerImage", "my image:main", "must be a container image reference", {
        fixed: true,
    }),
    local("netOperatorImage", " ", "must be a container image reference"),
    local("vcsimControllerArgs", "[1]", "must be a list of strings"),
    local("vmOperatorManifest", "/etc/passwd", INSIDE, { fixed: true }),
    local("vmOperatorManifest", "hack/no-such-manifest.yaml", "names no file"),
    {
        stack: "local",
        config: { vmOperatorManifest: "http://example.com/vm-operator.yaml" },
        key: "vmOperatorManifest",
        rule: "must be an https URL",
        alsoNames: ["vmOperatorManifestSha256"],
    },
    {
        stack: "local",
        config: {
            vmOperatorManifest: "https://example.com/vm-operator.yaml",
            vmOperatorManifestSha256: "abc",
        },
        key: "vmOperatorManifestSha256",
        rule: "must pin the manifest at https://example.com/vm-operator.yaml by its SHA-256",
    },
    {
        stack: "local",
        config: { supervisorConnection: "true" },
        key: "supervisorConnection",
        rule: "and supervisorSimulator: exactly one must be true",
    },
    local("supervisorStorageClasses", '["Bad_Name=x"]', "must be a Kubernetes object name", {
        key: "supervisorStorageClasses[0].name",
    }),
    local("supervisorVmClasses", '["c=0,4G"]', "must be an integer from 1 to 768", {
        key: "supervisorVmClasses[0].cpus",
    }),
    {
        stack: "local",
        config: { ...CONNECTION, supervisorLibraryItems: `["img=${OUTSIDE_OVA}"]` },
        key: "supervisorLibraryItems[0]",
        rule: INSIDE,
        fixed: true,
    },
    // the workload cluster
    local("clusterName", "Cluster_1", DNS),
    local("clusterNamespace", "-x", DNS),
    local("kubernetesVersion", "v1.31.0", "has no machine template"),
    local("controlPlaneMachineCount", "10", "must be an integer from 1 to 9"),
    local("workerMachineCount", "101", "must be an integer from 0 to 100"),
    local("powerOffMode", "now", "must be one of hard, soft, trySoft"),
    local("clusterDatastore", "5", "must be an integer from 0 to 0"),
    // KubeVirt's Prow build clusters
    local("prowBuildClusters", '["a=1"]', "(cluster a): has 1 control-plane nodes", {
        key: "prowBuildClusters[0]",
    }),
    local("prowBuildClusters", "[]", "must list at least one build cluster"),
    local("prowDefaultCluster", "nope", '"nope" is not a registered build cluster'),
    local("prowJobsNamespace", "Bad", DNS),
    local("prowKubeconfigSecretKey", "a/b", "must be a secret key"),
    local("prowTokenTtlHours", "0", "must be an integer from 1 to 720"),
    local("kubevirtciJobs", '["x"]', "must be JOB=SECRET_KEY@CLUSTER", {
        key: "kubevirtciJobs[0]",
    }),
    local("kubevirtciImage", "", "must be a container image reference", { fixed: true }),
    local("kubevirtciJobType", "postsubmit", "must be one of periodic, presubmit"),
    local("kubevirtciJobRepo", "kubevirt", "must be a repository as ORG/REPO"),
    local("kubevirtciJobCron", "every day", "must be a cron schedule of five fields"),
    local("gpgPublicKey", "hello", "must be an armored OpenPGP public key"),
    local("gpgRecipient", "zz", "must be empty, or an OpenPGP key id", { fixed: true }),
    {
        stack: "ci",
        config: { ciEnvironments: '["prow"]', gpgPublicKey: "" },
        key: "gpgPublicKey",
        rule: "is required when ciEnvironments lists prow",
    },
    // CAPV's CI on VMC
    local("vmcCiImage", "", "must be a container image reference"),
    local("vmcCiCommand", "[]", "must be a non-empty list of non-empty words"),
    local("vmcCiJobTimeoutSeconds", "5", "must be an integer from 10 to 86400"),
    local("vmcCiSecretNamespace", "NS", DNS),
    local("vmcLocalJobExitCode", "256", "must be an integer from 0 to 255"),
    local("vmcProviderComponentSpec", "/etc/passwd", INSIDE, { fixed: true }),
    ci("vmcProviderComponentSpec", "/etc/passwd", INSIDE, { fixed: true }),
    ci("vmcProviderComponentSpec", "no-such-spec.yaml", "must name a readable file"),
    // the VMC vCenter (ci)
    ci("vsphereServer", "https://vc.example.com/", "must be a host name or host:port"),
    ci("vsphereUsername", "", "is required when ciEnvironments lists vmc"),
    ci("vsphereTlsThumbprint", "ab:cd", "must be a SHA-256 thumbprint"),
    ci("vsphereDatacenter", "", "is required when ciEnvironments lists vmc"),
    ci("vsphereIpPool", "{", "must be a JSON object"),
    ci(
        "vsphereIpPool",
        '{"addresses":["10.0.0.1"],"gateway":"10.0.0.254","prefix":24}',
        "holds 1 address, too few for the 2 VMs",
    ),
    // CAPO's DevStack on GCP (ci)
    ci("gcpProject", "UPPER", "must be a GCP project id"),
    ci("gcpProjectLeased", "maybe", "must be true or false"),
    ci("gcpRegion", "mars", "must be a GCP region such as us-east4"),
    ci("gcpZone", "us-west1-a", "must be a zone of region us-east4"),
    ci("devstackName", "Bad_Name", "must be a GCP name prefix"),
    ci("devstackPrivateCidr", "10.0.3.0/33", "must be an IPv4 CIDR with no host bits", {
        alsoNames: ["devstackControllerIp", "devstackWorkerIp"],
    }),
    ci("devstackFloatingRange", "10.0.3.0/24", "must not overlap devstackPrivateCidr"),
    ci("devstackControllerIp", "10.9.9.9", "10.9.9.9 is outside devstackPrivateCidr"),
    ci("devstackSecondaryAz", "testaz1", "must differ from devstackPrimaryAz"),
    ci("devstackWorkerMachineType", "bogus", "must be a GCE machine type"),
    ci("devstackVcpuQuota", "8", "is 8 vCPUs, but controller n2-standard-16 (16)"),
    ci("devstackBootDiskSizeGb", "5", "must be an integer from 10 to 65536"),
    ci("devstackBootDiskType", "floppy", "must be one of pd-standard"),
    ci("devstackSourceRanges", '["x"]', "must be an IPv4 CIDR", { key: "devstackSourceRanges[0]" }),
    ci("devstackImages", '["ftp://x"]', "must be an http(s) URL", { key: "devstackImages[0]" }),
    ci("devstackBootImage", "", "must be a GCP image", { fixed: true }),
    ci("devstackAdditionalServices", "a b", "must be DevStack service names", { fixed: true }),
];

const AREAS: Record<string, object> = {
    stack: STACK_SPECS,
    simulator: SIMULATOR_SPECS,
    supervisor: SUPERVISOR_SPECS,
    cluster: CLUSTER_SPECS,
    prow: PROW_SPECS,
    vcenter: VCENTER_SPECS,
    vmc: VMC_SPECS,
    devstack: DEVSTACK_SPECS,
};

/** The configuration key a case's error names, without index or field. */
export const baseKey = (name: string): string => /^\w+/.exec(name)![0];

/** The registry file (stacks/config/keys/<area>.ts) declaring the case's key. */
export function areaOf(c: BadInputCase): string {
    const key = baseKey(c.key);
    return Object.keys(AREAS).find((a) => key in AREAS[a]) ?? "unknown";
}

/** A short, unique title of a case. */
export function caseTitle(c: BadInputCase): string {
    const config = Object.entries(c.config)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(" ");
    return `${c.stack}: ${config}`;
}

/**
 * What is wrong with `message` as the refusal of `c`, or undefined: it must be the
 * configuration error, name `k8s-ci-envs:<key> <rule>`, and name no key but the case's.
 */
export function refusalProblem(c: BadInputCase, message: string): string | undefined {
    const start = message.indexOf("invalid configuration:\n");
    if (start < 0) {
        return "not a configuration error";
    }
    if (!message.includes(`k8s-ci-envs:${c.key} ${c.rule}`)) {
        return `does not name k8s-ci-envs:${c.key} ${c.rule}`;
    }
    const allowed = [c.key, ...Object.keys(c.config), ...(c.alsoNames ?? [])].map(baseKey);
    const named = [...message.slice(start).matchAll(/^\s*k8s-ci-envs:(\w+)/gm)].map((m) => m[1]);
    const stray = named.filter((k) => !allowed.includes(k));
    return stray.length > 0 ? `also names ${[...new Set(stray)].join(", ")}` : undefined;
}

/** A JSON list of strings, as a list key's value, or undefined. */
function stringList(value: string): string[] | undefined {
    try {
        const list: unknown = JSON.parse(value);
        return Array.isArray(list) && list.every((v) => typeof v === "string") ? list : undefined;
    } catch {
        return undefined;
    }
}

const typeOf = (key: string): string | undefined =>
    (KEYS as Record<string, { type?: string }>)[key]?.type;

/** The value as a stack's configuration file holds it: a list key's valid list as a YAML list. */
export function stackConfigValue(key: string, value: string): string | string[] {
    return (typeOf(key) === "array" && stringList(value)) || value;
}

/**
 * The type Pulumi.yaml declares for a key the case gives a value not of it, if any: the engine
 * checks those types itself and refuses the stack's configuration before the program runs.
 */
export function engineTypeRule(c: BadInputCase): { key: string; type: string } | undefined {
    const broken = Object.entries(c.config).flatMap(([key, value]) => {
        const type = typeOf(key);
        const ok =
            (type === "array" && stringList(value) !== undefined) ||
            (type === "integer" && /^-?\d+$/.test(value)) ||
            (type === "boolean" && /^(true|false)$/.test(value)) ||
            type === "string";
        return ok ? [] : [{ key, type: type === "array" ? "array<string>" : String(type) }];
    });
    return broken[0];
}

/** What is wrong with `message` as the engine's refusal of a value not of its key's type. */
export function engineRefusalProblem(
    rule: { key: string; type: string },
    message: string,
): string | undefined {
    const expected = `with configuration key '${rule.key}' must be of type '${rule.type}'`;
    return message.includes(expected) ? undefined : `does not say ${expected}`;
}
