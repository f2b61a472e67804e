/**
 * The contract between a run and the program: the configuration a run sets on its stack, from
 * Pulumi.ci.yaml, the environments to build, the run's identity, the job's vCenter and the lease.
 */
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as pulumi from "@pulumi/pulumi";
import type { ConfigValue } from "@pulumi/pulumi/automation";
import {
    CI_ENVIRONMENTS,
    CiEnvironment,
    ConfigSource,
    DEFAULTS,
    PROJECT,
    PROW_IS_LONG_LIVED,
    Reader,
} from "../stacks/config";
import { environmentSettings, RunEnvironment } from "./prow-environment";

/** The whole key of a project setting (`k8s-ci-envs:<key>`). */
export const projectKey = (key: string): string => `${PROJECT}:${key}`;

/**
 * The run's configuration: Pulumi.ci.yaml's settings, the environments to build (`requested`, see
 * runEnvironments), the run's identity from Prow, the vCenter from the job's environment, then
 * what a lease gives (`leased`, by key).
 */
export function runConfig(
    ciStackFile: string,
    env: RunEnvironment,
    requested: string[] = [],
    leased: Record<string, string> = {},
): Record<string, ConfigValue> {
    const file = (yaml.load(fs.readFileSync(ciStackFile, "utf8")) ?? {}) as {
        config?: Record<string, unknown>;
    };
    const config: Record<string, ConfigValue> = {};
    for (const [key, value] of Object.entries(file.config ?? {})) {
        if (typeof value === "object" && value !== null && "secure" in value) {
            continue; // encrypted for the ci stack's own key: a run takes the job's instead
        }
        config[key] = { value: typeof value === "string" ? value : JSON.stringify(value) };
    }
    const set = (key: string, value: string | undefined, secret = false) => {
        if (value) {
            config[projectKey(key)] = secret ? { value, secret } : { value };
        }
    };
    // A run is the ci composition, unless its settings say otherwise (the tests run the local one).
    set("composition", config[projectKey("composition")]?.value ?? "ci");
    set("ciEnvironments", JSON.stringify(runEnvironments(requested, config)));
    set("jobName", env.JOB_NAME);
    set("buildId", env.BUILD_ID);
    set("prowJobId", env.PROW_JOB_ID);
    set("pullNumber", env.PULL_NUMBER);
    set("gcpProject", env.GCP_PROJECT);
    set("gcpProjectLeased", env.GCP_PROJECT ? "true" : undefined);
    for (const [key, { value, secret }] of Object.entries(environmentSettings(env))) {
        set(key, value, secret);
    }
    for (const [key, value] of Object.entries(leased)) {
        set(key, value);
    }
    if (leased.gcpProject) {
        set("gcpProjectLeased", "true");
    }
    return config;
}

/**
 * What a run builds: the environments requested, or else the ci stack's (`ciConfig`) minus prow.
 * A run never builds prow (PROW_IS_LONG_LIVED).
 */
export function runEnvironments(
    requested: string[],
    ciConfig: Record<string, ConfigValue>,
): CiEnvironment[] {
    if (requested.includes("prow")) {
        throw new Error(`prow cannot be built by a CI run: ${PROW_IS_LONG_LIVED}`);
    }
    const perRun: string[] = CI_ENVIRONMENTS.filter((e) => e !== "prow");
    const unknown = requested.filter((e) => !perRun.includes(e));
    if (unknown.length > 0) {
        throw new Error(
            `unknown environment ${unknown.join(", ")}: a CI run builds ${perRun.join(", ")}`,
        );
    }
    const environments = requested.length > 0 ? requested : ciStackEnvironments(ciConfig);
    if (environments.length === 0) {
        throw new Error(
            `nothing to build: name an environment (hack/run ci up ${perRun.join("|")}) or list one in ciEnvironments of Pulumi.ci.yaml`,
        );
    }
    return [...new Set(environments)] as CiEnvironment[];
}

/** The ci stack's ciEnvironments without prow; a malformed value is reported, not taken as none. */
function ciStackEnvironments(ciConfig: Record<string, ConfigValue>): string[] {
    const reader = new Reader(configSource(ciConfig));
    const listed = reader.get("ciEnvironments");
    reader.failIfAny();
    return listed.filter((e) => e !== "prow");
}

/**
 * `config` as `pulumi config set-all --json` takes it. Keys that Pulumi.yaml declares arrays (as
 * their defaults are) go as objects: the engine refuses an array key set to JSON text.
 */
export function configJson(config: Record<string, ConfigValue>): string {
    const isArray = (key: string) =>
        Array.isArray(DEFAULTS[key.replace(`${PROJECT}:`, "") as keyof typeof DEFAULTS]);
    const entries = Object.entries(config).map(([key, { value, secret = false }]) => [
        key,
        isArray(key) && !secret
            ? { value, objectValue: JSON.parse(value), secret }
            : { value, secret },
    ]);
    return JSON.stringify(Object.fromEntries(entries));
}

/** Reads a stack's configuration map as the program would see it. */
export function configSource(config: Record<string, ConfigValue>): ConfigSource {
    const value = (key: string) => config[projectKey(key)]?.value;
    return {
        get: value,
        getSecret: (key) => {
            const v = value(key);
            return v === undefined ? undefined : pulumi.secret(v);
        },
    };
}
