/** The janitor through the command, on three run stacks of which one has expired. */
import * as childProcess from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { markExpiry } from "../../run/janitor-mark";
import { removeStackWithBackups } from "../../run/remove-stack";
import { ROOT } from "../support/harness";

jest.setTimeout(10 * 60 * 1000);

const PREFIX = `janitor-it-${crypto.randomBytes(3).toString("hex")}-`;
const passphrase = { PULUMI_CONFIG_PASSPHRASE: process.env.K8S_CI_ENVS_LOCAL_PASSPHRASE! };

/**
 * A run stack of this project with one update (no resources: the janitor reads only the
 * backend), tagged with its expiry as a run tags it. Its program is inline, so its
 * Pulumi.<stack>.yaml is in a folder of its own, never seen by the janitor, as on a Prow pod.
 */
async function runStack(suffix: string, ttlHours: number): Promise<Stack> {
    const stack = await LocalWorkspace.createOrSelectStack(
        {
            stackName: `ci-${PREFIX}${suffix}`,
            projectName: "k8s-ci-envs",
            program: async () => ({ run: suffix }),
        },
        { envVars: passphrase, projectSettings: { name: "k8s-ci-envs", runtime: "nodejs" } },
    );
    const runTtlHours = { value: String(ttlHours) };
    await stack.setConfig("k8s-ci-envs:runTtlHours", runTtlHours);
    await markExpiry(stack, { "k8s-ci-envs:runTtlHours": runTtlHours });
    await stack.up();
    return stack;
}

function janitor(args: string[]): { code: number; out: string } {
    const result = childProcess.spawnSync(
        `${ROOT}/run/k8s-ci-run.js`,
        [
            "janitor",
            "--prefix",
            PREFIX,
            "--now",
            new Date(Date.now() + 2 * 3_600_000).toISOString(),
            ...args,
        ],
        { cwd: ROOT, env: { ...process.env, ...passphrase }, encoding: "utf8" },
    );
    return { code: result.status ?? -1, out: `${result.stdout}${result.stderr}` };
}

/** Pulumi.<stack>.yaml files of these stacks in the project's folder, where the janitor runs. */
const litter = () => fs.readdirSync(ROOT).filter((f) => f.startsWith(`Pulumi.ci-${PREFIX}`));

async function names(): Promise<string[]> {
    const ws = await LocalWorkspace.create({ workDir: ROOT, envVars: passphrase });
    return (await ws.listStacks()).map((s) => s.name).filter((n) => n.startsWith(`ci-${PREFIX}`));
}

describe("k8s-ci-run janitor", () => {
    let stacks: Stack[] = [];

    beforeAll(async () => {
        stacks = [
            await runStack("expired", 1),
            await runStack("young", 24),
            await runStack("other", 24),
        ];
    });

    afterAll(async () => {
        for (const stack of stacks) {
            if ((await names()).includes(stack.name)) {
                await stack.destroy();
                removeStackWithBackups(stack);
            }
        }
    });

    it("changes nothing in a dry run, and says what it would do", async () => {
        const before = await Promise.all(stacks.map(async (s) => (await s.history()).length));
        const { code, out } = janitor([]);
        console.log(out);
        expect(code).toBe(0);
        expect(out).toContain(`- ci-${PREFIX}expired: would destroy: its time to live ended at`);
        expect(out).toContain(`- ci-${PREFIX}young: kept (not expired)`);
        expect(litter()).toEqual([]);
        expect((await names()).sort()).toEqual(stacks.map((s) => s.name).sort());
        expect(await Promise.all(stacks.map(async (s) => (await s.history()).length))).toEqual(
            before,
        );
    });

    it("destroys only the expired stack with --yes", async () => {
        const { code, out } = janitor(["--yes"]);
        console.log(out);
        expect(code).toBe(0);
        expect(out).toContain(`destroyed ci-${PREFIX}expired`);
        expect((await names()).sort()).toEqual([`ci-${PREFIX}other`, `ci-${PREFIX}young`]);
        expect(litter()).toEqual([]);
    });
});
