/**
 * Benchmarks the local stack on the real engine against the fair script that builds the same
 * environment by hand (bench/baseline/up.sh, down.sh), in one run, N repetitions each: up from
 * empty, memory at rest (every process of the environment), no-change preview and up, and
 * down; each with its wall time and the peak RSS of every process it ran. Writes the table to
 * out/bench/lifecycle.json and the engine's events of each up and destroy to
 * out/bench/{up,destroy}-N.jsonl (bench/critical-path.ts reads them).
 *
 *   hack/run bench [--repetitions N]      (default 2)
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createStack, processesIn, processTree, uniqueStackName } from "../test/support/harness";
import { spawn } from "child_process";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { removeStackWithBackups } from "../run/remove-stack";

interface Row {
    step: string;
    seconds: number;
    peakMb: number;
}

function rssMb(pids: number[]): number {
    let kb = 0;
    for (const pid of pids) {
        try {
            kb += Number(
                /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0,
            );
        } catch {
            // the process ended
        }
    }
    return kb / 1024;
}

/** Times `work` while sampling the summed RSS of this process's descendants (and `extra`). */
async function measure(
    step: string,
    work: () => Promise<unknown>,
    extra: () => number[] = () => [],
): Promise<Row> {
    let peak = 0;
    const sampler = setInterval(() => {
        peak = Math.max(peak, rssMb([...processTree(process.pid).slice(1), ...extra()]));
    }, 50);
    const start = process.hrtime.bigint();
    try {
        await work();
    } finally {
        clearInterval(sampler);
    }
    return { step, seconds: Number(process.hrtime.bigint() - start) / 1e9, peakMb: peak };
}

const BASELINE = path.join(__dirname, "baseline");

/** Runs a baseline script, its output into the bench log. */
function script(name: string, dir: string): Promise<void> {
    return new Promise((resolve, reject) => {
        const child = spawn(path.join(BASELINE, name), [dir], {
            stdio: ["ignore", "ignore", "inherit"],
        });
        child.on("error", reject);
        child.on("exit", (code) =>
            code === 0
                ? resolve()
                : reject(new Error(`bench/baseline/${name} ${dir} exited ${code}`)),
        );
    });
}

/** The fair script (bench/baseline/up.sh): up, memory at rest, down. */
async function baselineRun(): Promise<Row[]> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-baseline-"));
    const rows: Row[] = [];
    try {
        rows.push(await measure("script: up from empty", () => script("up.sh", dir)));
        await new Promise((r) => setTimeout(r, REST_MS));
        const vcsim = Number(fs.readFileSync(path.join(dir, "vcsim.pid"), "utf8"));
        const resting = [vcsim, ...processesIn(dir)];
        rows.push({ step: "script: memory at rest", seconds: 0, peakMb: rssMb(resting) });
    } finally {
        rows.push(await measure("script: down", () => script("down.sh", dir)));
        fs.rmSync(`${dir}.log`, { force: true });
    }
    return rows;
}

/** The local stack on the real engine: up, memory at rest, no-change preview and up, destroy. */
async function stackRun(rep: number, events: string): Promise<Row[]> {
    const rows: Row[] = [];
    const log = (file: string) => {
        const out = fs.openSync(path.join(events, `${file}-${rep}.jsonl`), "w");
        return {
            out,
            onEvent: (e: EngineEvent) => void fs.writeSync(out, JSON.stringify(e) + "\n"),
        };
    };
    const stack = await createStack(uniqueStackName("bench"));
    try {
        let stackDir = "";
        const up = log("up");
        rows.push(
            await measure(
                "stack: up from empty",
                async () =>
                    (stackDir = (await stack.up({ onEvent: up.onEvent })).outputs.stackDir.value),
            ),
        );
        fs.closeSync(up.out);
        await new Promise((r) => setTimeout(r, REST_MS));
        rows.push({
            step: "stack: memory at rest",
            seconds: 0,
            peakMb: rssMb(processesIn(stackDir)),
        });
        rows.push(
            await measure("stack: preview, no changes", () =>
                stack.preview({ expectNoChanges: true }),
            ),
        );
        rows.push(await measure("stack: up, no changes", () => stack.up()));
    } finally {
        const down = log("destroy");
        rows.push(
            await measure("stack: destroy", async () => {
                const result = await stack.destroy({ onEvent: down.onEvent });
                if (result.summary.result !== "succeeded") throw new Error("destroy failed");
            }),
        );
        fs.closeSync(down.out);
        removeStackWithBackups(stack);
    }
    return rows;
}

const REST_MS = 15_000;

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function main(): Promise<void> {
    const flag = process.argv.indexOf("--repetitions");
    const repetitions = flag > 0 ? Number(process.argv[flag + 1]) : 2;
    const out = path.join(__dirname, "..", "out", "bench");
    fs.mkdirSync(out, { recursive: true });
    const load = [os.loadavg()];
    const all: Row[] = [];
    for (let rep = 0; rep < repetitions; rep++) {
        all.push(...(await baselineRun()));
        all.push(...(await stackRun(rep, out)));
        load.push(os.loadavg());
    }
    const steps = [...new Set(all.map((r) => r.step))].map((step) => {
        const rows = all.filter((r) => r.step === step);
        const pick = (f: (r: Row) => number) => ({
            median: median(rows.map(f)),
            min: Math.min(...rows.map(f)),
            max: Math.max(...rows.map(f)),
        });
        return { step, seconds: pick((r) => r.seconds), peakMb: pick((r) => r.peakMb) };
    });
    const table = {
        date: new Date().toISOString(),
        cores: os.cpus().length,
        memoryGiB: Math.round(os.totalmem() / 2 ** 30),
        repetitions,
        loadAverage: load.map((l) => l.map((x) => Number(x.toFixed(1)))),
        steps,
    };
    fs.writeFileSync(path.join(out, "lifecycle.json"), JSON.stringify(table, null, 2) + "\n");
    const span = (x: { median: number; min: number; max: number }, d: number) =>
        `${x.median.toFixed(d)} (${x.min.toFixed(d)}-${x.max.toFixed(d)})`;
    console.log(
        `${table.cores} cores, ${table.memoryGiB} GiB, ${repetitions} repetitions, load average (1, 5, 15 min) at start and after each: ${table.loadAverage.map((l) => l.join(" ")).join("; ")}`,
    );
    console.log("| step | wall time, s: median (min-max) | peak RSS, MB: median (min-max) |");
    console.log("|---|---|---|");
    for (const s of steps)
        console.log(`| ${s.step} | ${span(s.seconds, 1)} | ${span(s.peakMb, 0)} |`);
    console.log(`\n(JSON: out/bench/lifecycle.json; event logs: out/bench/{up,destroy}-N.jsonl)`);
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
