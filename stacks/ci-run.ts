/**
 * The CI run flow (DESIGN decision 6): the Automation API entry point a Prow job calls.
 *
 *   hack/run ci up      names the run's stack from Prow's environment, applies Pulumi.ci.yaml's
 *                       settings and the run's identity, writes the preview to $ARTIFACTS, then
 *                       `up`; a DevStack that meets a zone without capacity moves to the
 *                       region's next zone (gcpZones) and `up` runs again.
 *   hack/run ci down    destroys the run's stack and removes it (call it from the job's exit trap).
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import * as pulumi from "@pulumi/pulumi";
import { ConfigValue, LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { upWithZoneFallback } from "../components/devstack/zone-fallback";
import { ConfigSource, PROJECT, readSettings } from "./config";

const ROOT = path.resolve(__dirname, "..");

/** What Prow gives every job (kubernetes-sigs/prow jobs.md). */
export interface ProwEnvironment {
    JOB_NAME?: string;
    BUILD_ID?: string;
    PROW_JOB_ID?: string;
    ARTIFACTS?: string;
    /** Set by Boskos for a leased GCP project (CAPO's ci-e2e.sh). */
    GCP_PROJECT?: string;
}

/** One stack per run: `ci-<job>-<build>`, in the characters stack names allow. */
export function runStackName(env: ProwEnvironment): string {
    if (!env.JOB_NAME || !env.BUILD_ID) {
        throw new Error("JOB_NAME and BUILD_ID are required: Prow sets them for every job");
    }
    const name = `ci-${env.JOB_NAME}-${env.BUILD_ID}`.replace(/[^A-Za-z0-9_.-]+/g, "-");
    return name.slice(0, 100);
}

/** The run's configuration: Pulumi.ci.yaml's settings, then the run's identity from Prow. */
export function runConfig(ciStackFile: string, env: ProwEnvironment): Record<string, ConfigValue> {
    const file = (yaml.load(fs.readFileSync(ciStackFile, "utf8")) ?? {}) as {
        config?: Record<string, unknown>;
    };
    const config: Record<string, ConfigValue> = {};
    for (const [key, value] of Object.entries(file.config ?? {})) {
        if (typeof value === "object" && value !== null && "secure" in value) {
            continue; // encrypted for the ci stack's own key: the job sets secrets itself
        }
        config[key] = { value: typeof value === "string" ? value : JSON.stringify(value) };
    }
    const set = (key: string, value: string | undefined) => {
        if (value) {
            config[`${PROJECT}:${key}`] = { value };
        }
    };
    set("composition", "ci");
    set("jobName", env.JOB_NAME);
    set("buildId", env.BUILD_ID);
    set("prowJobId", env.PROW_JOB_ID);
    set("gcpProject", env.GCP_PROJECT);
    return config;
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

/**
 * `up` for the run, moving a DevStack to the next zone of gcpZones when GCE has no capacity
 * in its zone. Returns the zone it ended in, if the stack has a DevStack.
 */
export async function upWithFallback(
    stack: RunStack,
    log: (line: string) => void,
): Promise<string | undefined> {
    const settings = readSettings(configSource(await stack.getAllConfig()), stack.name, ROOT);
    const devstack = settings.composition === "ci" ? settings.devstack : undefined;
    if (devstack === undefined) {
        await stack.up({ onOutput: log });
        return undefined;
    }
    const { zone } = await upWithZoneFallback(
        devstack.zones,
        devstack.zone,
        async (z) => {
            await stack.setConfig(`${PROJECT}:gcpZone`, { value: z });
            return stack.up({ onOutput: log });
        },
        (from, to) => log(`zone ${from} has no capacity for the DevStack: trying ${to}\n`),
    );
    return zone;
}

async function main(command: string, env: ProwEnvironment): Promise<void> {
    const log = (line: string) => process.stdout.write(line);
    const stack = await LocalWorkspace.createOrSelectStack({
        stackName: runStackName(env),
        workDir: ROOT,
    });
    if (command === "down") {
        await stack.destroy({ onOutput: log });
        await stack.workspace.removeStack(stack.name);
        return;
    }
    await stack.setAllConfig(runConfig(path.join(ROOT, "Pulumi.ci.yaml"), env));
    const preview = await stack.preview({ diff: true });
    if (env.ARTIFACTS) {
        fs.mkdirSync(env.ARTIFACTS, { recursive: true });
        fs.writeFileSync(path.join(env.ARTIFACTS, "pulumi-preview.txt"), preview.stdout);
    }
    await upWithFallback(stack, log);
}

if (require.main === module) {
    const command = process.argv[2];
    if (command !== "up" && command !== "down") {
        console.error("usage: hack/run ci up|down");
        process.exit(2);
    }
    main(command, process.env).catch((err) => {
        console.error(String(err));
        process.exit(1);
    });
}
