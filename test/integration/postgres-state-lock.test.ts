/**
 * The DIY backend's stack lock on a real PostgreSQL: a second update of a stack being updated is
 * refused and the state stays as the first left it; a run killed with SIGKILL mid-update leaves
 * its lock, the next run says who holds it and how to clear it, `k8s-ci-run unlock` clears it
 * only once older than runTtlHours, and the janitor unlocks a killed run's expired stack.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import { Stack } from "@pulumi/pulumi/automation";
import { removeStackWithBackups } from "../../run/remove-stack";
import { until } from "../support/poll";
import { startPostgres, Postgres } from "../support/postgres";
import {
    alive,
    cliUpPid,
    Hold,
    k8sCiRun,
    processTree,
    programStack,
    removeSettings,
    runProgram,
} from "../support/state-program";

jest.setTimeout(8 * 60 * 1000);

const PREFIX = `pglock-${crypto.randomBytes(3).toString("hex")}-`;
const HOUR_MS = 3_600_000;
const later = (hours: number) => new Date(Date.now() + hours * HOUR_MS).toISOString();

describe("a stack's lock on PostgreSQL", () => {
    let pg: Postgres;
    const stacks: Stack[] = [];
    const holds: Hold[] = [];
    const artifacts: string[] = [];
    const start = (stack: Stack, settings: { value: string; holdDir?: string }) => {
        const started = runProgram(stack, settings);
        artifacts.push(started.artifacts);
        return started;
    };

    const hold = () => {
        const h = new Hold();
        holds.push(h);
        return h;
    };
    const stackNamed = async (suffix: string) => {
        const stack = await programStack(`ci-${PREFIX}${suffix}`, pg.url);
        stacks.push(stack);
        return stack;
    };
    const rows = (stack: Stack) =>
        pg.query(`SELECT key FROM pulumi_state WHERE key LIKE '%/${stack.name}%'`);
    const locks = (stack: Stack) => rows(stack).filter((k) => k.includes("/.pulumi/locks/"));
    /** Starts a held update on `stack`, then kills its CLI and every process under it. */
    const killedMidUpdate = async (stack: Stack) => {
        const h = hold();
        const killed = start(stack, { value: "killed", holdDir: h.dir });
        await h.started();
        const tree = processTree(cliUpPid(stack.name));
        tree.forEach((pid) => process.kill(pid, "SIGKILL"));
        await expect(killed.done).rejects.toThrow();
        // A killed process takes a moment to exit on a busy machine (the policy pack's node is big).
        await until(
            () => tree.filter(alive).length === 0,
            `the killed update's processes ${tree.join(", ")} to exit`,
            30_000,
        );
        return tree[0];
    };

    beforeAll(async () => {
        pg = await startPostgres();
    });

    afterAll(async () => {
        holds.forEach((h) => h.remove());
        artifacts.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
        for (const stack of stacks) {
            if (pg && rows(stack).length > 0) {
                await stack.cancel();
                await stack.destroy();
                removeStackWithBackups(stack);
            }
            removeSettings(stack.name);
        }
        await pg?.stop();
    });

    it("refuses a second update while one runs, and keeps the first one's state", async () => {
        const stack = await stackNamed("same");
        await start(stack, { value: "zero" }).done;
        const h = hold();
        const first = start(stack, { value: "first", holdDir: h.dir });
        await h.started();
        const other = await programStack(stack.name, pg.url); // another runner's workspace
        const second = start(other, { value: "second" });
        await expect(second.done).rejects.toThrow(/currently locked by 1 lock\(s\)/);
        await expect(second.done).rejects.toThrow(
            `If no update of it is running, clear the lock with \`hack/run pulumi cancel --stack ${stack.name} --yes\``,
        );
        expect(locks(stack)).toHaveLength(1); // the first update's, untouched by the refusal
        h.release();
        await first.done;
        expect(locks(stack)).toEqual([]);
        expect((await stack.outputs()).value.value).toBe("first");
        const history = await stack.history();
        expect(history.map((u) => [u.kind, u.result])).toEqual([
            ["update", "succeeded"],
            ["update", "succeeded"],
        ]);
    });

    it("says who holds a killed run's lock and how to clear it; unlock waits for runTtlHours", async () => {
        const stack = await stackNamed("killed");
        const pid = await killedMidUpdate(stack);
        expect(locks(stack)).toHaveLength(1);

        const next = start(stack, { value: "next" });
        await expect(next.done).rejects.toThrow(`(pid ${pid}) since`);
        await expect(next.done).rejects.toThrow(
            `stack ${stack.name} is locked by another update, or by one that was killed (SIGKILL) and left its lock`,
        );
        await expect(next.done).rejects.toThrow(`\`hack/run ci unlock --stack ${stack.name}\``);

        const young = k8sCiRun(pg.url, ["unlock", "--stack", stack.name, "--now", later(1)]);
        expect(young).toMatchObject({ code: 1 });
        expect(young.out).toContain("refused: a lock is younger than runTtlHours (24 h)");
        expect(locks(stack)).toHaveLength(1);

        const stale = k8sCiRun(pg.url, ["unlock", "--stack", stack.name, "--now", later(25)]);
        expect(stale.out).toContain("cleared 1 lock(s) older than runTtlHours (24 h)");
        expect(stale.code).toBe(0);
        expect(locks(stack)).toEqual([]);
        expect(k8sCiRun(pg.url, ["unlock", "--stack", stack.name])).toMatchObject({ code: 0 });

        await start(stack, { value: "next" }).done;
        expect((await stack.outputs()).value.value).toBe("next");
    });

    it("lets the janitor unlock and destroy an expired stack whose run was killed", async () => {
        const stack = await stackNamed("expired");
        await killedMidUpdate(stack);
        const prefix = `${PREFIX}expired`;
        const { code, out } = k8sCiRun(pg.url, [
            "janitor",
            "--prefix",
            prefix,
            "--now",
            later(25),
            "--yes",
        ]);
        expect(out).toContain("cleared 1 lock(s) older than runTtlHours (24 h)");
        expect(out).toContain(`destroyed ${stack.name}`);
        expect(code).toBe(0);
        expect(rows(stack)).toEqual([]);
    });
});
