/**
 * The critical path of an `up` or `destroy` from the engine's event log (`pulumi up
 * --event-log FILE`, or bench/lifecycle.ts's out/bench/{up,destroy}-N.jsonl): when each
 * resource step starts and ends, relative to the engine's first event, and the chain of steps
 * that ends last. The engine's events carry no dependencies, so a step's predecessor on the chain
 * is the one that ended last at or before it started (an inference: it may only coincide).
 * Event timestamps are whole seconds.
 *
 *   npx ts-node --transpile-only bench/critical-path.ts out/bench/up-0.jsonl
 */
import * as fs from "fs";

interface Step {
    urn: string;
    op: string;
    start: number;
    end: number;
}

interface Event {
    timestamp: number;
    resourcePreEvent?: { metadata: { urn: string; op: string } };
    resOutputsEvent?: { metadata: { urn: string; op: string } };
    resOpFailedEvent?: { metadata: { urn: string; op: string } };
}

export function steps(events: Event[]): { steps: Step[]; first: number; last: number } {
    const first = Math.min(...events.map((e) => e.timestamp));
    const last = Math.max(...events.map((e) => e.timestamp));
    const open = new Map<string, Step>();
    const done: Step[] = [];
    for (const e of events) {
        const pre = e.resourcePreEvent?.metadata;
        const end = (e.resOutputsEvent ?? e.resOpFailedEvent)?.metadata;
        if (pre && pre.op !== "same") {
            open.set(pre.urn, { urn: pre.urn, op: pre.op, start: e.timestamp - first, end: NaN });
        }
        const step = end && open.get(end.urn);
        if (step) {
            step.end = e.timestamp - first;
            open.delete(end.urn);
            done.push(step);
        }
    }
    return { steps: done.sort((a, b) => a.start - b.start || a.end - b.end), first, last };
}

/** From the step that ends last, back through the step that ended last before each began. */
export function criticalPath(steps: Step[]): Step[] {
    // Components (the stack, k8sci:*) span their children: only custom resources do work.
    const all = steps.filter(
        (s) => !/^(pulumi:pulumi:Stack|k8sci:)/.test(s.urn.split("::")[2].split("$").pop()!),
    );
    const chain: Step[] = [];
    let at = [...all].sort((a, b) => b.end - a.end)[0];
    while (at) {
        chain.unshift(at);
        const start = at.start;
        // Strictly earlier starts: steps of whole seconds can end as the next begins, both at t.
        at = all
            .filter((s) => s.end <= start && s.start < start)
            .sort((a, b) => b.end - a.end || b.end - b.start - (a.end - a.start))[0];
    }
    return chain;
}

const short = (urn: string) => urn.split("::").slice(-2).join("::").replace(/^.*\$/, "");

function main(file: string): void {
    const events = fs
        .readFileSync(file, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Event);
    const { steps: all, first, last } = steps(events);
    console.log(
        `${file}: ${all.length} resource steps, ${last - first} s from the first event to the last`,
    );
    console.log("\n| resource | op | start, s | took, s |\n|---|---|---|---|");
    for (const s of all)
        console.log(`| ${short(s.urn)} | ${s.op} | ${s.start} | ${s.end - s.start} |`);
    console.log(
        "\nCritical path (inferred):\n\n| resource | op | start, s | took, s |\n|---|---|---|---|",
    );
    for (const s of criticalPath(all)) {
        console.log(`| ${short(s.urn)} | ${s.op} | ${s.start} | ${s.end - s.start} |`);
    }
}

if (require.main === module) main(process.argv[2] ?? "out/bench/up-0.jsonl");
