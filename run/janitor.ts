/**
 * `k8s-ci-run janitor`: destroys the run stacks whose time to live has passed or whose run's
 * teardown failed, then sweeps what is left in each one's vSphere run folder (vsphere-sweep.ts).
 * A dry run, which changes nothing, unless `apply`; it prints what it did or would do. A due stack
 * whose destroy is refused by a lock older than its TTL (a killed run's) is unlocked first.
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigMap, LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import type { GovcTarget } from "../providers/govc/runner";
import { dueBecause, RunStackAge, ttlHoursOf } from "./expiry";
import { EXPIRES_AT_TAG, TEARDOWN_FAILED_TAG } from "./janitor-mark";
import { environmentSettings, VCenterEnvironment } from "./prow-environment";
import { projectKey } from "./run-config";
import { RUN_STACK_PREFIX } from "./stack-name";
import { clearStaleLocks, describeLocks, locksIn } from "./state-lock";
import { planSweep, sweep } from "./vsphere-sweep";

export interface JanitorOptions {
    workDir: string;
    now: Date;
    apply: boolean;
    /** Only stacks whose name starts so (default every run stack: ci-). */
    namePrefix?: string;
    log: (line: string) => void;
    /** The vCenter, from the environment as a run takes it; no sweep without one. */
    env: VCenterEnvironment;
    /** Destroys and removes a stack (the run's own teardown). */
    destroy: (stack: Stack) => Promise<void>;
}

export interface JanitorReport {
    examined: string[];
    due: { name: string; why: string }[];
    destroyed: string[];
    failures: string[];
}

/** What the janitor knows of a stack: when it was first updated, its TTL, its mark. */
async function ageOf(stack: Stack, config: ConfigMap): Promise<RunStackAge> {
    const history = await stack.history();
    const starts = history.map((h) => new Date(h.startTime).getTime()).filter((t) => t > 0);
    const tags = await stack.workspace
        .listTags(stack.name)
        .catch(() => ({}) as Record<string, string>);
    return {
        name: stack.name,
        createdAt: starts.length > 0 ? new Date(Math.min(...starts)) : undefined,
        ttlHours: ttlHoursOf(config[projectKey("runTtlHours")]?.value),
        expiresAt: tags[EXPIRES_AT_TAG] ? new Date(tags[EXPIRES_AT_TAG]) : undefined,
        teardownFailed: tags[TEARDOWN_FAILED_TAG],
    };
}

/** The vCenter the sweep talks to, and the run's folder and pool, when the stack has them. */
function sweepTarget(
    config: ConfigMap,
    env: VCenterEnvironment,
): { target: GovcTarget; folder: string; pool?: string } | undefined {
    const get = (key: string) => config[projectKey(key)]?.value;
    const fromEnv = environmentSettings(env);
    const server = fromEnv.vsphereServer?.value ?? get("vsphereServer");
    const username = fromEnv.vsphereUsername?.value ?? get("vsphereUsername");
    const password = fromEnv.vspherePassword?.value;
    const folder = get("vsphereFolder");
    if (!server || !username || !password || !folder) {
        return undefined;
    }
    const target: GovcTarget = {
        url: `https://${server}/sdk`,
        username,
        password,
        thumbprint: fromEnv.vsphereTlsThumbprint?.value ?? get("vsphereTlsThumbprint"),
        datacenter: get("vsphereDatacenter"),
    };
    return { target, folder, pool: get("vsphereResourcePool") };
}

/**
 * Runs `examine`, then removes the stack's Pulumi.<stack>.yaml if it made it: selecting a stack
 * and reading its config writes one (the passphrase's salt), and the janitor leaves no litter.
 */
export async function withoutLitter(
    settingsFile: string,
    examine: () => Promise<void>,
): Promise<void> {
    const existed = fs.existsSync(settingsFile);
    try {
        await examine();
    } finally {
        if (!existed) {
            fs.rmSync(settingsFile, { force: true });
        }
    }
}

/**
 * Destroys a due stack. When a lock refuses it, and every lock is older than the stack's TTL (no
 * run lives longer: its run was killed), clears them and destroys; a younger lock fails it.
 */
async function destroyDue(stack: Stack, ttlHours: number, options: JanitorOptions) {
    try {
        await options.destroy(stack);
    } catch (err) {
        const locks = locksIn(err instanceof Error ? err.message : String(err));
        if (locks === undefined) {
            throw err;
        }
        const result = await clearStaleLocks(stack, ttlHours, options.now, locks);
        if (!result.cleared) {
            throw new Error(`locked, and not cleared: ${result.why}:\n${describeLocks(locks)}`);
        }
        options.log(
            `  cleared ${locks.length} lock(s) older than runTtlHours (${ttlHours} h):\n${describeLocks(locks)}\n`,
        );
        await options.destroy(stack);
    }
}

/** Decides on one stack, and destroys and sweeps it when it is due and `apply` is set. */
async function examine(name: string, options: JanitorOptions, report: JanitorReport) {
    const { log, now, apply } = options;
    const stack = await LocalWorkspace.selectStack({ stackName: name, workDir: options.workDir });
    const config = await stack.getAllConfig();
    const age = await ageOf(stack, config);
    const why = dueBecause(age, now);
    if (why === undefined) {
        log(`- ${name}: kept (not expired)\n`);
        return;
    }
    report.due.push({ name, why });
    const vsphere = sweepTarget(config, options.env);
    // What is in the run's folder, planned when needed: a failure is reported, not fatal.
    const plan = () =>
        vsphere
            ? planSweep(vsphere.target, vsphere.folder, vsphere.pool, now).catch((err: Error) => {
                  report.failures.push(`${name}: vSphere: ${err.message}`);
                  return [];
              })
            : Promise.resolve([]);
    if (!apply) {
        log(`- ${name}: would destroy: ${why}\n`);
        (await plan()).forEach((a) => log(`    would ${a.what}\n`));
        return;
    }
    log(`- ${name}: destroying: ${why}\n`);
    try {
        await destroyDue(stack, age.ttlHours, options);
        report.destroyed.push(name);
        log(`  destroyed ${name}\n`);
    } catch (err) {
        report.failures.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
        log(`  FAILED to destroy ${name}\n`);
    }
    if (vsphere) {
        report.failures.push(...(await sweep(vsphere.target, await plan(), log)));
    }
}

export async function janitor(options: JanitorOptions): Promise<JanitorReport> {
    const { log, now, apply } = options;
    const workspace = await LocalWorkspace.create({ workDir: options.workDir });
    const names = (await workspace.listStacks())
        .map((s) => s.name)
        .filter((n) => n.startsWith(options.namePrefix ?? RUN_STACK_PREFIX));
    const report: JanitorReport = { examined: names, due: [], destroyed: [], failures: [] };
    log(
        `janitor${apply ? "" : " (dry run)"} at ${now.toISOString()}: ${names.length} run stacks\n`,
    );
    for (const name of names) {
        await withoutLitter(path.join(options.workDir, `Pulumi.${name}.yaml`), () =>
            examine(name, options, report),
        );
    }
    log(
        `janitor: ${report.due.length} due, ${report.destroyed.length} destroyed, ${report.failures.length} failures\n`,
    );
    return report;
}
