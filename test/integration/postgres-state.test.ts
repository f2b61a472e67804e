/**
 * The CLI's postgres:// DIY backend, shared by many runners, on a real PostgreSQL: two runs on
 * different stacks update at once against one database; the janitor lists and expires them from
 * it; the role's password in the URL appears in no log, argv, artifact, error, state or file.
 */
import * as childProcess from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import { Stack } from "@pulumi/pulumi/automation";
import { removeStackWithBackups } from "../../run/remove-stack";
import { ROOT } from "../support/harness";
import { startPostgres, Postgres } from "../support/postgres";
import {
    allCommandLines,
    filesText,
    Hold,
    k8sCiRun,
    PROGRAM,
    programStack,
    ProgramRun,
    removeSettings,
    runProgram,
} from "../support/state-program";

jest.setTimeout(8 * 60 * 1000);

const PREFIX = `pg-${crypto.randomBytes(3).toString("hex")}-`;
const NAMES = ["a", "b"].map((s) => `ci-${PREFIX}${s}`);

/** The keys of the state table that name `stack`. */
const rowsOf = (pg: Postgres, stack: string) =>
    pg.query(`SELECT key FROM pulumi_state WHERE key LIKE '%/${stack}%' ORDER BY key`);

describe("state on PostgreSQL, shared by two runs", () => {
    let pg: Postgres;
    let stacks: Stack[] = [];
    let runs: ProgramRun[] = [];
    const holds = NAMES.map(() => new Hold());
    let whileHeld: string[] = [];
    let janitorOut = "";

    beforeAll(async () => {
        pg = await startPostgres();
        stacks = await Promise.all(NAMES.map((n) => programStack(n, pg.url)));
        runs = stacks.map((stack, i) =>
            runProgram(stack, { value: stack.name, holdDir: holds[i].dir, runTtlHours: 1 }),
        );
        // Both updates are in their create at once, each holding its stack's lock.
        await Promise.all(holds.map((h) => h.started()));
        whileHeld = allCommandLines();
        holds.forEach((h) => h.release());
        await Promise.all(runs.map((r) => r.done));
    });

    afterAll(async () => {
        for (const stack of stacks) {
            if (pg && rowsOf(pg, stack.name).length > 0) {
                await stack.destroy();
                removeStackWithBackups(stack);
            }
            removeSettings(stack.name);
        }
        holds.forEach((h) => h.remove());
        runs.forEach((r) => fs.rmSync(r.artifacts, { recursive: true, force: true }));
        if (pg) {
            await pg.stop();
            expect(fs.existsSync(pg.dir)).toBe(false);
            expect(allCommandLines().filter((c) => c.includes(pg.dir))).toEqual([]);
        }
    });

    it("runs both updates at once, each stack's state in the one database", async () => {
        for (const stack of stacks) {
            const history = await stack.history();
            expect(history.map((h) => [h.kind, h.result])).toEqual([["update", "succeeded"]]);
            expect((await stack.outputs()).value.value).toBe(stack.name);
            expect(rowsOf(pg, stack.name)).toEqual(
                expect.arrayContaining([`pulumi/.pulumi/stacks/k8s-ci-envs/${stack.name}.json`]),
            );
        }
        const backends = NAMES.map((n) => rowsOf(pg, n).filter((k) => k.includes("/locks/")));
        expect(backends).toEqual([[], []]); // each update released its lock
    });

    it("lets the janitor list both stacks from the database and expire them", () => {
        const now = new Date(Date.now() + 2 * 3_600_000).toISOString();
        const dry = k8sCiRun(pg.url, ["janitor", "--prefix", PREFIX, "--now", now]);
        expect(dry.code).toBe(0);
        expect(dry.out).toContain("2 run stacks");
        NAMES.forEach((n) => expect(dry.out).toContain(`- ${n}: would destroy: its time to live`));

        const { code, out } = k8sCiRun(pg.url, [
            "janitor",
            "--prefix",
            PREFIX,
            "--now",
            now,
            "--yes",
        ]);
        janitorOut = `${dry.out}${out}`;
        expect(code).toBe(0);
        NAMES.forEach((n) => expect(out).toContain(`destroyed ${n}`));
        NAMES.forEach((n) => expect(rowsOf(pg, n)).toEqual([]));
        expect(fs.readdirSync(ROOT).filter((f) => f.startsWith(`Pulumi.ci-${PREFIX}`))).toEqual([]);
    });

    it("never shows the URL's password: logs, argv, artifacts, errors, state, files", () => {
        const secret = pg.password;
        const unreachable = childProcess.spawnSync("pulumi", ["stack", "ls"], {
            cwd: PROGRAM,
            env: { ...process.env, PULUMI_BACKEND_URL: pg.url.replace(`:${pg.port}/`, ":1/") },
            encoding: "utf8",
        });
        expect(unreachable.stderr).toContain("unable to open state database");
        const places: Record<string, string> = {
            "the runs' logs": runs.map((r) => r.output()).join("\n"),
            "the janitor's output": janitorOut,
            "argv of every process while both updates ran": whileHeld.join("\n"),
            "the runs' artifacts": runs.map((r) => filesText(r.artifacts)).join("\n"),
            "the CLI's error for an unreachable database": unreachable.stderr,
            "the state table": pg.query("SELECT key || data::text FROM pulumi_state").join("\n"),
            PULUMI_HOME: filesText(process.env.PULUMI_HOME!),
            "the program's folder": filesText(PROGRAM),
        };
        expect(places["the runs' logs"]).toContain("pulumi:pulumi:Stack"); // the places are real
        const found = Object.entries(places).filter(([, text]) => text.includes(secret));
        expect(found.map(([where]) => where)).toEqual([]);
        // The same search finds it where the CLI does print it: never run `whoami -v` in a job.
        const whoami = childProcess.execFileSync("pulumi", ["whoami", "-v"], {
            cwd: PROGRAM,
            env: { ...process.env, PULUMI_BACKEND_URL: pg.url },
            encoding: "utf8",
        });
        expect(whoami).toContain(secret);
    });
});
