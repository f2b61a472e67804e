/**
 * The bad-input suite (issue 19): every case of test/support/bad-input-cases.ts is previewed on
 * the real engine, on a local stack or a ci one, and must be refused with its key and rule
 * named, nothing created and the stack's state byte-identical. The program refuses before it
 * registers any resource, so the ci cases need none of the providers the ci stack uses (gcp,
 * command): they run on the engine too. Writes out/reports/bad-input.json.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { Stack } from "@pulumi/pulumi/automation";
import {
    BAD_INPUT_CASES,
    BadInputCase,
    BadInputStack,
    areaOf,
    caseTitle,
    CI_BASELINE,
    CI_SECRETS,
    createOutsideFiles,
    engineRefusalProblem,
    engineTypeRule,
    LOCAL_BASELINE,
    refusalProblem,
    removeOutsideFiles,
    stackConfigValue,
} from "../support/bad-input-cases";
import { createStack, removeStack, ROOT, uniqueStackName } from "../support/harness";
import { PROJECT } from "../../stacks/config";

jest.setTimeout(5 * 60 * 1000);

/** Stacks previewing at once, by kind: the machine has 2 cores, a preview uses about one. */
const WORKERS: Record<BadInputStack, number> = { local: 2, ci: 1 };

interface Worker {
    stack: Stack;
    configFile: string;
    baseline: { encryptionsalt?: string; config: Record<string, unknown> };
}

interface Result {
    title: string;
    stack: BadInputStack;
    area: string;
    key: string;
    rule: string;
    config: Record<string, string>;
    fixedOnThisBranch: boolean;
    refusedBy: string;
    refused: boolean;
    problem?: string;
    stateUnchanged: boolean;
    resourcesBefore: number;
    resourcesAfter: number;
    seconds: number;
}

const BACKEND = (process.env.PULUMI_BACKEND_URL ?? "").replace(/^file:\/\//, "");
const results: Result[] = [];
const started = Date.now();

/** The backend's files of `name` (its state, backups, history, locks) by path, as hashes. */
function backendFiles(name: string): Record<string, string> {
    const entries = fs.readdirSync(BACKEND, { recursive: true }) as string[];
    return Object.fromEntries(
        entries
            .filter((e) => e.includes(name) && fs.statSync(path.join(BACKEND, e)).isFile())
            .sort()
            .map((e) => [
                e,
                crypto
                    .createHash("sha256")
                    .update(fs.readFileSync(path.join(BACKEND, e)))
                    .digest("hex"),
            ]),
    );
}

/** A stack with its kind's baseline (and the ci secrets) whose state holds the root stack. */
async function newWorker(kind: BadInputStack, i: number): Promise<Worker> {
    const name = uniqueStackName(`bad-input-${kind}-${i}`);
    const stack = await createStack(name);
    if (kind === "ci") {
        for (const [key, value] of Object.entries(CI_SECRETS)) {
            await stack.setConfig(`${PROJECT}:${key}`, { value, secret: true });
        }
    }
    const state = await stack.exportStack();
    const urn = `urn:pulumi:${name}::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-${name}`;
    state.deployment.resources = [
        { urn, custom: false, type: "pulumi:pulumi:Stack", outputs: { seeded: "bad-input" } },
    ];
    await stack.importStack(state);
    const configFile = path.join(ROOT, `Pulumi.${name}.yaml`);
    const file = yaml.load(fs.readFileSync(configFile, "utf8")) as Worker["baseline"];
    const worker = { stack, configFile, baseline: { ...file, config: file.config ?? {} } };
    configure(worker, kind === "ci" ? CI_BASELINE : LOCAL_BASELINE);
    worker.baseline = yaml.load(fs.readFileSync(configFile, "utf8")) as Worker["baseline"];
    return worker;
}

/** The resources of the stack's state, as its state file holds them. */
function stateResourceCount(name: string): number {
    const file = path.join(BACKEND, ".pulumi", "stacks", PROJECT, `${name}.json`);
    const state = JSON.parse(fs.readFileSync(file, "utf8"));
    return (state.checkpoint.latest?.resources ?? []).length;
}

/** The stack's configuration file with `values` on top of its baseline, as a user edits it. */
function configure(worker: Worker, values: Record<string, string>): void {
    const config = { ...worker.baseline.config };
    for (const [key, value] of Object.entries(values)) {
        config[`${PROJECT}:${key}`] = stackConfigValue(key, value);
    }
    fs.writeFileSync(worker.configFile, yaml.dump({ ...worker.baseline, config }));
}

/** Worker stacks of each kind, made once, lent to one case at a time. */
class Pool {
    private ready?: Promise<void>;
    readonly free: Record<BadInputStack, Worker[]> = { local: [], ci: [] };
    readonly all: Worker[] = [];
    private waiting: Record<BadInputStack, ((w: Worker) => void)[]> = { local: [], ci: [] };

    private setUp(): Promise<void> {
        this.ready ??= (async () => {
            createOutsideFiles();
            for (const kind of ["local", "ci"] as const) {
                for (let i = 0; i < WORKERS[kind]; i++) {
                    const worker = await newWorker(kind, i);
                    this.all.push(worker);
                    this.free[kind].push(worker);
                }
            }
        })();
        return this.ready;
    }

    async use<T>(kind: BadInputStack, run: (w: Worker) => Promise<T>): Promise<T> {
        await this.setUp();
        const worker =
            this.free[kind].pop() ??
            (await new Promise<Worker>((resolve) => this.waiting[kind].push(resolve)));
        try {
            return await run(worker);
        } finally {
            configure(worker, {});
            const next = this.waiting[kind].shift();
            if (next) {
                next(worker);
            } else {
                this.free[kind].push(worker);
            }
        }
    }

    async tearDown(): Promise<void> {
        removeOutsideFiles();
        const ready = this.ready;
        this.ready = undefined;
        await ready?.catch(() => undefined);
        for (const worker of this.all) {
            configure(worker, {});
            await removeStack(worker.stack);
        }
    }
}

const pool = new Pool();

afterAll(async () => {
    await pool.tearDown();
    const report = {
        suite: "bad-input",
        date: new Date().toISOString(),
        engine: "pulumi preview (Automation API), the project's toolchain",
        workers: WORKERS,
        cases: results.length,
        refused: results.filter((r) => r.refused && !r.problem && r.stateUnchanged).length,
        fixedOnThisBranch: results.filter((r) => r.fixedOnThisBranch).length,
        byStack: { local: 0, ci: 0, ...count(results.map((r) => r.stack)) },
        byArea: count(results.map((r) => r.area)),
        wallSeconds: (Date.now() - started) / 1000,
        results,
    };
    fs.mkdirSync(path.join(ROOT, "out", "reports"), { recursive: true });
    fs.writeFileSync(
        path.join(ROOT, "out", "reports", "bad-input.json"),
        `${JSON.stringify(report, null, 2)}\n`,
    );
});

function count(values: string[]): Record<string, number> {
    const counts: Record<string, number> = {};
    values.forEach((v) => (counts[v] = (counts[v] ?? 0) + 1));
    return counts;
}

/** Folders the stack would write to: the stack's own under its outputDir. */
function stackFolder(c: BadInputCase, name: string): string {
    return path.resolve(ROOT, c.config.outputDir ?? "out", name);
}

describe("the baselines the cases break", () => {
    it("local: previews cleanly", async () => {
        await pool.use("local", async ({ stack }) => {
            const preview = await stack.preview();
            expect(preview.changeSummary.create).toBeGreaterThan(0);
        });
    });

    it("ci: passes every configuration rule (its preview stops at the absent providers)", async () => {
        await pool.use("ci", async ({ stack }) => {
            const error = await stack.preview().then(
                () => undefined,
                (err: Error) => err.message,
            );
            // Where the gcp and command plugins are installed, the ci baseline previews cleanly.
            if (error !== undefined) {
                expect(error).not.toContain("invalid configuration");
                expect(error).toMatch(/plugin|provider/i);
            }
        });
    });
});

describe("bad input, refused at preview on the real engine", () => {
    it.concurrent.each(BAD_INPUT_CASES.map((c) => [caseTitle(c), c] as const))(
        "%s",
        async (title, c) => {
            await pool.use(c.stack, async (worker) => {
                const name = worker.stack.name;
                const before = backendFiles(name);
                const resourcesBefore = stateResourceCount(name);
                configure(worker, c.config);
                const t0 = Date.now();
                const message = await worker.stack.preview().then(
                    () => undefined,
                    (err: Error) => err.message,
                );
                const seconds = (Date.now() - t0) / 1000;
                const after = backendFiles(name);
                const resourcesAfter = stateResourceCount(name);
                const engine = engineTypeRule(c);
                const problem =
                    message === undefined
                        ? "preview succeeded"
                        : engine
                          ? engineRefusalProblem(engine, message)
                          : refusalProblem(c, message);
                results.push({
                    title,
                    stack: c.stack,
                    area: areaOf(c),
                    key: c.key,
                    rule: c.rule,
                    config: c.config,
                    fixedOnThisBranch: c.fixed === true,
                    refusedBy: engine ? "engine: Pulumi.yaml's type" : "program: stacks/config",
                    refused: message !== undefined,
                    problem,
                    stateUnchanged: JSON.stringify(before) === JSON.stringify(after),
                    resourcesBefore,
                    resourcesAfter,
                    seconds,
                });
                expect(problem).toBeUndefined();
                expect(Object.keys(before)).toContain(`.pulumi/stacks/${PROJECT}/${name}.json`);
                expect(after).toEqual(before);
                expect(resourcesAfter).toBe(1);
                expect(fs.existsSync(stackFolder(c, name))).toBe(false);
            });
        },
    );
});
