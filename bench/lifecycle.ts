/**
 * Benchmarks the local stack's lifecycle on the real engine: up, a no-change preview, refresh,
 * a no-change up, destroy; each with its wall time and the peak memory (RSS) of every process
 * it ran (CLI, language host, program, plugins, simulator). The baseline, in the same run, is
 * the simulator part done imperatively as the seed's vcsim.sh does (start vcsim, shape it with
 * govc, write vcsim.env) through the provider's own functions: the difference is Pulumi's cost.
 *
 *   hack/run bench            (prints a Markdown table)
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    createStack,
    processesIn,
    processTree,
    removeStack,
    uniqueStackName,
} from "../test/support/harness";
import {
    DEFAULT_MODEL,
    planInventory,
    shapingCommands,
    templateCommands,
} from "../providers/vcsim";
import { govcAll } from "../providers/govc/runner";
import { LOCAL_LEASE_DIR } from "../providers/ports/local";
import {
    leasePort,
    processConfig,
    releasePort,
    startSimulator,
    stopSimulator,
} from "../providers/vcsim/simulator-process";
import { serverThumbprint } from "../providers/vcsim/thumbprint";

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

/** The simulator part of the local stack, done imperatively, as vcsim.sh does. */
async function imperativeSimulator(dir: string): Promise<Row> {
    let pid = 0;
    const row = await measure(
        "baseline: vcsim + govc shaping + templates + vcsim.env, no Pulumi",
        async () => {
            const password = "bench-password-0123456789";
            const port = await leasePort(LOCAL_LEASE_DIR, dir, "bench");
            const login = ["administrator@vsphere.local", password] as const;
            const running = await startSimulator(dir, processConfig(DEFAULT_MODEL, ...login), {
                port,
            });
            pid = running.pid;
            const target = { url: running.url, username: "administrator@vsphere.local", password };
            fs.mkdirSync(path.join(dir, "datastores", "SDDC-Datacenter-WorkloadDatastore"), {
                recursive: true,
            });
            await govcAll(target, shapingCommands(DEFAULT_MODEL, path.join(dir, "datastores")));
            await govcAll(target, templateCommands(DEFAULT_MODEL));
            await serverThumbprint("127.0.0.1", running.port);
            fs.writeFileSync(
                path.join(dir, "vcsim.env"),
                JSON.stringify(planInventory(DEFAULT_MODEL)),
                { mode: 0o600 },
            );
        },
        () => (pid ? [pid] : []),
    );
    await stopSimulator(dir);
    releasePort(LOCAL_LEASE_DIR, dir);
    return row;
}

async function main(): Promise<void> {
    const rows: Row[] = [];
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "bench-vcsim-"));
    try {
        rows.push(await imperativeSimulator(scratch));
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }

    const stack = await createStack(uniqueStackName("bench"));
    try {
        let stackDir = "";
        rows.push(
            await measure(
                "up from empty (simulator, 5 local clusters, Prow registration, VMC flow, supervisor)",
                async () => (stackDir = (await stack.up()).outputs.stackDir.value),
            ),
        );
        // The processes that stay: what a developer's machine carries while the stack is up.
        await new Promise((r) => setTimeout(r, 30_000));
        const resting = processesIn(stackDir);
        rows.push({
            step: `at rest, 30 s after up: ${resting.length} processes (simulator, every cluster's control plane and kwok)`,
            seconds: 0,
            peakMb: rssMb(resting),
        });
        rows.push(
            await measure("preview, no changes", () => stack.preview({ expectNoChanges: true })),
        );
        rows.push(await measure("refresh", () => stack.refresh()));
        rows.push(await measure("up, no changes", () => stack.up()));
    } finally {
        rows.push(
            await measure("destroy and remove the stack (with its state backups)", () =>
                removeStack(stack),
            ),
        );
    }

    console.log(
        `| step (${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB) | wall time | peak RSS of its processes |`,
    );
    console.log("|---|---|---|");
    for (const r of rows) {
        console.log(`| ${r.step} | ${r.seconds.toFixed(1)} s | ${Math.round(r.peakMb)} MB |`);
    }
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
