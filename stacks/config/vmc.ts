import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { validateCiJobArgs } from "../../components/vmc/ci-job";
import { BootstrapContext, OUTER_SECRET, OUTER_SECRET_KEYS } from "../../components/vmc/names";
import { checkDnsLabel, checkInteger, Issue } from "../../providers/validation";
import { AddressPool, checkPoolCapacity, validatePool } from "../../providers/vsphere/address-pool";
import { fieldKeys } from "./keys";
import { insideProject } from "./paths";
import { configError, Reader } from "./reader";
import { StackSettings } from "./types";

/** CAPV's CI on VMC (CAPV's scripts/e2e): the jump host, bootstrap cluster, CI secret and CI Job. */
export interface VmcSettings {
    /** The context of CAPV's scripts/e2e: `prow` when the run has a PROW_JOB_ID, else `debug`. */
    context: BootstrapContext;
    ciImage: string;
    ciCommand: string[];
    ciTimeoutSeconds: number;
    /** The outer secret's namespace on the Prow side. */
    prowSecretNamespace: string;
    /** CAPV's provider components (the inner secret's provider-component-spec). */
    providerComponentSpec: string;
    /** local: the CI Job's pods fail with this exit code (0: they succeed). */
    localJobExitCode: number;
    /** ci: static addresses for the VMs (a Boskos project's ipPool); else DHCP. */
    addressPool?: AddressPool;
    /** ci: the outer secret's values from configuration (JSON object, a secret). */
    ciSecret?: pulumi.Output<string>;
    /** ci: the Prow-side cluster holding the outer secret (a secret kubeconfig). */
    prowKubeconfig?: pulumi.Output<string>;
}

/** The VMs CI makes: the jump host and the bootstrap VM, each an address of the pool. */
export const VMC_VMS = 2;

/** The Boskos ipPool JSON (`{"addresses":[...],"gateway":"...","prefix":N}`), checked. */
export function parseAddressPool(
    key: string,
    text: string,
    vms: number,
): { pool?: AddressPool; issues: Issue[] } {
    let pool: AddressPool;
    try {
        pool = JSON.parse(text) as AddressPool;
    } catch {
        pool = undefined as unknown as AddressPool;
    }
    if (typeof pool !== "object" || pool === null) {
        const form = '{"addresses":["FIRST-LAST"],"gateway":"...","prefix":N}';
        return { issues: [{ field: key, message: `must be a JSON object ${form}; got ${text}` }] };
    }
    const issues = validatePool(key, pool);
    if (issues.length === 0) {
        issues.push(...checkPoolCapacity(key, pool, vms));
    }
    return issues.length > 0 ? { issues } : { pool, issues };
}

/** The outer secret's nine values from `vmcCiSecret`, checked when known (a secret stays one). */
export function parseCiSecret(text: string): Record<string, string> {
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        value = undefined;
    }
    const record = (value ?? {}) as Record<string, unknown>;
    const missing = OUTER_SECRET_KEYS.filter((k) => typeof record[k] !== "string");
    if (typeof value !== "object" || value === null || missing.length > 0) {
        throw configError([
            {
                field: "vmcCiSecret",
                message: `must be a JSON object of ${OUTER_SECRET}'s keys; lacks ${missing.join(", ")}`,
            },
        ]);
    }
    return record as Record<string, string>;
}

const PLACEHOLDER_SPEC =
    "# CAPV's provider components: set vmcProviderComponentSpec to the generated file\n";

function readSpec(reader: Reader, rootDir: string, required: boolean): string {
    const value = reader.get("vmcProviderComponentSpec");
    if (value === "") {
        if (required) {
            reader.report([
                {
                    field: "vmcProviderComponentSpec",
                    message: "is required when ciEnvironments lists vmc",
                },
            ]);
        }
        return PLACEHOLDER_SPEC;
    }
    const file = insideProject("vmcProviderComponentSpec", value, rootDir);
    if (file.issues.length > 0) {
        reader.report(file.issues);
        return "";
    }
    try {
        return fs.readFileSync(file.path, "utf8");
    } catch {
        reader.report([
            {
                field: "vmcProviderComponentSpec",
                message: `must name a readable file (relative to the project); got ${JSON.stringify(value)}`,
            },
        ]);
        return "";
    }
}

/** The vmc settings of the stack: always in local, when ciEnvironments lists vmc in ci. */
export function readVmc(
    reader: Reader,
    rootDir: string,
    settings: StackSettings,
): VmcSettings | undefined {
    const ci = settings.composition === "ci";
    if (ci && !settings.environments.includes("vmc")) {
        return undefined;
    }
    const vmc: VmcSettings = {
        context: settings.run.prowJobId !== "" ? "prow" : "debug",
        ciImage: reader.get("vmcCiImage"),
        ciCommand: reader.get("vmcCiCommand"),
        ciTimeoutSeconds: reader.get("vmcCiJobTimeoutSeconds"),
        prowSecretNamespace: reader.get("vmcCiSecretNamespace"),
        providerComponentSpec: readSpec(reader, rootDir, ci),
        localJobExitCode: reader.get("vmcLocalJobExitCode"),
    };
    reader.report(
        validateCiJobArgs({
            image: vmc.ciImage,
            command: vmc.ciCommand,
            timeoutSeconds: vmc.ciTimeoutSeconds,
        }),
        fieldKeys("ciJob"),
    );
    reader.report([
        ...checkDnsLabel("vmcCiSecretNamespace", vmc.prowSecretNamespace),
        ...checkInteger("vmcLocalJobExitCode", vmc.localJobExitCode, 0, 255),
    ]);
    if (!ci) {
        return vmc;
    }
    const pool = reader.get("vsphereIpPool");
    if (pool !== "") {
        const parsed = parseAddressPool("vsphereIpPool", pool, VMC_VMS);
        reader.report(parsed.issues);
        vmc.addressPool = parsed.pool;
    }
    const ciSecret = reader.secret("vmcCiSecret");
    const prowKubeconfig = reader.secret("vmcProwKubeconfig");
    if ((ciSecret === undefined) === (prowKubeconfig === undefined)) {
        reader.report([
            {
                field: "vmcCiSecret",
                message: `or vmcProwKubeconfig (the cluster holding ${OUTER_SECRET}): exactly one is required when ciEnvironments lists vmc (set it with --secret)`,
            },
        ]);
    }
    return { ...vmc, ciSecret, prowKubeconfig };
}
