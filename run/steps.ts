/**
 * The CI run flow (DESIGN decision 6): the Automation API entry point a Prow job calls.
 *
 *   hack/run ci up [ENVIRONMENT...]
 *                       names the run's stack from Prow's environment, applies Pulumi.ci.yaml's
 *                       settings, the environments to build and the run's identity, writes the
 *                       preview to $ARTIFACTS, then `up`; a DevStack machine that meets a zone
 *                       without capacity moves to the region's next zone (gcpZones) and `up`
 *                       runs again.
 *   hack/run ci down    destroys the run's stack and removes it (call it from the job's exit trap).
 *
 * Each writes its engine output and a JUnit testcase per step to $ARTIFACTS (ci-recorder.ts).
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import * as pulumi from "@pulumi/pulumi";
import { ConfigValue, EngineEvent, LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { objectPrefix, ROLES } from "../components/devstack/names";
import { shortHash } from "../components/run-identity";
import { ZONE_FIELDS } from "../components/devstack/settings";
import {
    EngineError,
    Placement,
    placementOf,
    stockedOutRoles,
    upWithZoneFallback,
} from "../components/devstack/zone-fallback";
import {
    CI_ENVIRONMENTS,
    CiEnvironment,
    ConfigSource,
    DEFAULTS,
    DEVSTACK_KEYS,
    PROJECT,
    PROW_IS_LONG_LIVED,
    Reader,
    readSettings,
} from "./config";
import { previewJson, previewMarkdown, previewReport } from "./ci-artifacts";
import { RunRecorder, Steps, UNRECORDED } from "./ci-recorder";
import { removeStackWithBackups } from "./remove-stack";

const ROOT = path.resolve(__dirname, "..");

/** What Prow gives every job (kubernetes-sigs/prow jobs.md). */
export interface ProwEnvironment {
    JOB_NAME?: string;
    BUILD_ID?: string;
    PROW_JOB_ID?: string;
    /** The pull request, for presubmits. */
    PULL_NUMBER?: string;
    ARTIFACTS?: string;
    /** Set by Boskos for a leased GCP project (CAPO's ci-e2e.sh). */
    GCP_PROJECT?: string;
    /** VMC's password, as CAPV's jobs get it from their Prow secret. */
    VSPHERE_PASSWORD?: string;
}

/**
 * The credentials a run takes from the job's environment, where Prow mounts its secrets: a
 * run's stack is made by the run, so nothing could `pulumi config set --secret` it beforehand.
 */
const RUN_SECRETS: Record<string, keyof ProwEnvironment> = { vspherePassword: "VSPHERE_PASSWORD" };

/** The run's environment: Prow's, and what the job asks to build. */
export interface RunEnvironment extends ProwEnvironment {
    /** Environments to build, comma- or space-separated, when the command line names none. */
    CI_ENVIRONMENTS?: string;
}

/** The environments asked for: the command line's, else $CI_ENVIRONMENTS. */
export function requestedEnvironments(args: string[], env: RunEnvironment): string[] {
    const words = args.length > 0 ? args : [env.CI_ENVIRONMENTS ?? ""];
    return words.flatMap((w) => w.split(/[\s,]+/)).filter(Boolean);
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
    const listed = reader.list("ciEnvironments");
    reader.failIfAny();
    return listed.filter((e) => e !== "prow");
}

/** Pulumi's limit on the length of a stack name. */
export const STACK_NAME_MAX = 100;

/**
 * One stack per run: `ci-<job>-<build>`, in the characters stack names allow. A job name too
 * long for the limit is cut and followed by a hash of the whole name: BUILD_ID always stays
 * whole, so no two builds share a stack.
 */
export function runStackName(env: ProwEnvironment): string {
    if (!env.JOB_NAME || !env.BUILD_ID) {
        throw new Error("JOB_NAME and BUILD_ID are required: Prow sets them for every job");
    }
    const safe = (text: string) => text.replace(/[^A-Za-z0-9_.-]+/g, "-");
    const [job, build] = [safe(env.JOB_NAME), safe(env.BUILD_ID)];
    const whole = `ci-${job}-${build}`;
    if (whole.length <= STACK_NAME_MAX) {
        return whole;
    }
    const tail = `-${shortHash(env.JOB_NAME)}-${build}`;
    const room = STACK_NAME_MAX - "ci-".length - tail.length;
    if (room < 1) {
        throw new Error(`BUILD_ID is too long for a stack name: ${env.BUILD_ID}`);
    }
    return `ci-${job.slice(0, room)}${tail}`;
}

/**
 * The run's configuration: Pulumi.ci.yaml's settings, the environments to build (`requested`, see
 * runEnvironments), then the run's identity from Prow.
 */
export function runConfig(
    ciStackFile: string,
    env: ProwEnvironment,
    requested: string[] = [],
): Record<string, ConfigValue> {
    const file = (yaml.load(fs.readFileSync(ciStackFile, "utf8")) ?? {}) as {
        config?: Record<string, unknown>;
    };
    const config: Record<string, ConfigValue> = {};
    for (const [key, value] of Object.entries(file.config ?? {})) {
        if (typeof value === "object" && value !== null && "secure" in value) {
            continue; // encrypted for the ci stack's own key: a run takes RUN_SECRETS instead
        }
        config[key] = { value: typeof value === "string" ? value : JSON.stringify(value) };
    }
    const set = (key: string, value: string | undefined) => {
        if (value) {
            config[`${PROJECT}:${key}`] = { value };
        }
    };
    set("composition", "ci");
    set("ciEnvironments", JSON.stringify(runEnvironments(requested, config)));
    set("jobName", env.JOB_NAME);
    set("buildId", env.BUILD_ID);
    set("prowJobId", env.PROW_JOB_ID);
    set("pullNumber", env.PULL_NUMBER);
    set("gcpProject", env.GCP_PROJECT);
    set("gcpProjectLeased", env.GCP_PROJECT ? "true" : undefined);
    for (const [key, variable] of Object.entries(RUN_SECRETS)) {
        const value = env[variable];
        if (value) {
            config[`${PROJECT}:${key}`] = { value, secret: true };
        }
    }
    return config;
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
    const value = (key: string) => config[`${PROJECT}:${key}`]?.value;
    return {
        get: value,
        getSecret: (key) => {
            const v = value(key);
            return v === undefined ? undefined : pulumi.secret(v);
        },
    };
}

/** The part of an Automation API stack the run flow uses (a fake in tests). */
export type RunStack = Pick<Stack, "name" | "getAllConfig" | "setConfig" | "up">;

/** Plain text for log files and JUnit: the engine's colour escapes have no place there. */
const COLOR = "never";

/**
 * `up` for the run, each attempt a step. When GCE has no capacity for a DevStack machine, that
 * machine alone moves to the next zone of gcpZones: the engine names it in its error. Returns
 * where the machines ended, if the stack has a DevStack.
 */
export async function upWithFallback(
    stack: RunStack,
    log: (line: string) => void,
    steps: Steps = UNRECORDED,
): Promise<Placement | undefined> {
    const settings = readSettings(configSource(await stack.getAllConfig()), stack.name, ROOT);
    const devstack = settings.composition === "ci" ? settings.devstack : undefined;
    if (devstack === undefined) {
        await steps.run("pulumi up", () => stack.up({ onOutput: log, color: COLOR }));
        return undefined;
    }
    let errors: EngineError[] = [];
    const { placement } = await upWithZoneFallback(
        devstack.zones,
        placementOf(devstack),
        async (p) => {
            for (const role of ROLES) {
                const key = DEVSTACK_KEYS[ZONE_FIELDS[role]];
                await stack.setConfig(`${PROJECT}:${key}`, { value: p[role] });
            }
            errors = [];
            const zones = ROLES.map((role) => `${role} ${p[role]}`).join(", ");
            return steps.run(`pulumi up (${zones})`, () =>
                stack.up({
                    onOutput: log,
                    color: COLOR,
                    onEvent: (e) => {
                        if (e.diagnosticEvent?.severity === "error") {
                            errors.push(e.diagnosticEvent);
                        }
                    },
                }),
            );
        },
        () => stockedOutRoles(errors, objectPrefix(devstack)),
        (role, from, to) => {
            const line = `zone ${from} has no capacity for the DevStack's ${role}: trying ${to}`;
            log(`${line}\n`);
            steps.retried(line);
        },
    );
    return placement;
}

/** The part of an Automation API stack `ci up` uses. */
export type UpStack = RunStack & Pick<Stack, "setAllConfigJson" | "preview">;

/**
 * `ci up` on the run's stack: configures it with `config`, previews it into
 * $ARTIFACTS/pulumi-preview.{md,json}, then `up` (pulumi-up.log); junit_pulumi.xml has each step.
 */
export async function runUp(
    stack: UpStack,
    config: Record<string, ConfigValue>,
    recorder: RunRecorder,
): Promise<Placement | undefined> {
    try {
        await stack.setAllConfigJson(configJson(config));
        const events: EngineEvent[] = [];
        const preview = await recorder.run("pulumi preview", () =>
            stack.preview({
                diff: true,
                color: COLOR,
                onOutput: recorder.log(),
                onEvent: (e) => events.push(e),
            }),
        );
        const report = previewReport(preview, events);
        recorder.write("pulumi-preview.md", previewMarkdown(report));
        recorder.write("pulumi-preview.json", previewJson(report));
        return await upWithFallback(stack, recorder.log("pulumi-up.log"), recorder);
    } finally {
        recorder.writeJunit("junit_pulumi.xml", `k8s-ci-envs ${stack.name}`);
    }
}

/**
 * `ci down`: destroys the run's stack (pulumi-destroy.log) and then `remove`s it; its own
 * junit_pulumi_destroy.xml, as it runs from the job's exit trap after `ci up` wrote its file.
 */
export async function runDown(
    stack: Pick<Stack, "name" | "destroy">,
    recorder: RunRecorder,
    remove: () => void,
): Promise<void> {
    const log = recorder.log("pulumi-destroy.log");
    try {
        await recorder.run("pulumi destroy", async () => {
            await stack.destroy({ onOutput: log, color: COLOR });
            remove();
        });
    } finally {
        recorder.writeJunit("junit_pulumi_destroy.xml", `k8s-ci-envs ${stack.name}`);
    }
}

async function main(command: string, args: string[], env: RunEnvironment): Promise<void> {
    const stack = await LocalWorkspace.createOrSelectStack({
        stackName: runStackName(env),
        workDir: ROOT,
    });
    const recorder = new RunRecorder(env.ARTIFACTS);
    if (command === "down") {
        await runDown(stack, recorder, () => removeStackWithBackups(stack));
        return;
    }
    const requested = requestedEnvironments(args, env);
    await runUp(stack, runConfig(path.join(ROOT, "Pulumi.ci.yaml"), env, requested), recorder);
}

if (require.main === module) {
    const command = process.argv[2];
    if (command !== "up" && command !== "down") {
        console.error("usage: hack/run ci up [ENVIRONMENT...] | hack/run ci down");
        process.exit(2);
    }
    main(command, process.argv.slice(3), process.env).catch((err) => {
        console.error(String(err));
        process.exit(1);
    });
}
