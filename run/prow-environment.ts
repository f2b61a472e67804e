/**
 * What a Prow job's environment gives a run: Prow's own variables (kubernetes-sigs/prow jobs.md),
 * the environments to build, and the vCenter connection as CAPV's Prow preset hands it to a job.
 */
/** What Prow gives every job. */
export interface ProwEnvironment {
    JOB_NAME?: string;
    BUILD_ID?: string;
    PROW_JOB_ID?: string;
    /** The pull request, for presubmits. */
    PULL_NUMBER?: string;
    ARTIFACTS?: string;
    /** Set by Boskos for a leased GCP project (CAPO's ci-e2e.sh). */
    GCP_PROJECT?: string;
}

/**
 * The vCenter connection: CAPV's preset (`preset-gcve-e2e-config`) sets the GOVC_* names and
 * VSPHERE_TLS_THUMBPRINT from its secret; its hack/e2e.sh exports them again as VSPHERE_*.
 */
export interface VCenterEnvironment {
    GOVC_URL?: string;
    GOVC_USERNAME?: string;
    GOVC_PASSWORD?: string;
    VSPHERE_SERVER?: string;
    VSPHERE_USERNAME?: string;
    VSPHERE_PASSWORD?: string;
    VSPHERE_TLS_THUMBPRINT?: string;
}

/** The run's environment: Prow's, the vCenter's, and what the job asks to build. */
export interface RunEnvironment extends ProwEnvironment, VCenterEnvironment {
    /** Environments to build, comma- or space-separated, when the command line names none. */
    CI_ENVIRONMENTS?: string;
}

/** A config key a run fills from the job's environment, from the first variable that is set. */
export interface EnvironmentSetting {
    key: string;
    variables: (keyof VCenterEnvironment)[];
    secret: boolean;
    /** Turns the variable's value into the key's (GOVC_URL is a URL, the key a host). */
    convert?: (value: string) => string;
}

/** The host[:port] of a GOVC_URL: `https://user:pass@host/sdk`, `host/sdk` or `host`. */
export function govcUrlHost(url: string): string {
    const withScheme = /^[a-z]+:\/\//i.test(url) ? url : `https://${url}`;
    return new URL(withScheme).host;
}

/**
 * The vCenter connection from the job's environment: VSPHERE_* first, else GOVC_*. The password is
 * a secret from end to end; the program reads the others as plain settings (as Pulumi.ci.yaml has
 * them), and they never reach an artifact but the engine's own output.
 */
export const VCENTER_SETTINGS: EnvironmentSetting[] = [
    {
        key: "vsphereServer",
        variables: ["VSPHERE_SERVER", "GOVC_URL"],
        secret: false,
        convert: govcUrlHost,
    },
    { key: "vsphereUsername", variables: ["VSPHERE_USERNAME", "GOVC_USERNAME"], secret: false },
    { key: "vspherePassword", variables: ["VSPHERE_PASSWORD", "GOVC_PASSWORD"], secret: true },
    { key: "vsphereTlsThumbprint", variables: ["VSPHERE_TLS_THUMBPRINT"], secret: false },
];

/** The values of `settings` the environment sets, by key. */
export function environmentSettings(
    env: VCenterEnvironment,
    settings: EnvironmentSetting[] = VCENTER_SETTINGS,
): Record<string, { value: string; secret: boolean }> {
    const values: Record<string, { value: string; secret: boolean }> = {};
    for (const { key, variables, secret, convert } of settings) {
        const raw = variables.map((v) => env[v]).find((v) => v !== undefined && v !== "");
        if (raw !== undefined) {
            values[key] = { value: convert ? convert(raw) : raw, secret };
        }
    }
    return values;
}

/** The environments asked for: the command line's, else $CI_ENVIRONMENTS. */
export function requestedEnvironments(args: string[], env: RunEnvironment): string[] {
    const words = args.length > 0 ? args : [env.CI_ENVIRONMENTS ?? ""];
    return words.flatMap((w) => w.split(/[\s,]+/)).filter(Boolean);
}
