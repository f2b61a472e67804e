/**
 * The busy-machine tier (hack/busy-up): the README's `up` and `down` on a fresh local stack of
 * their own, with what issue 16 requires shown and asserted on the real stack. The `up` phase,
 * run while hack/busy-up keeps every core busy:
 *   - every control-plane component of every local cluster healthy, with its restart count;
 *   - the CI Job complete, and Prow's tokens minted (each one authenticates);
 *   - a kube-controller-manager killed by hand restarted by its supervisor within seconds.
 * The `down` phase: with every controller-manager frozen (SIGSTOP), `down` done within 60 s,
 * leaving no process, port, lease, file or state.
 * Exits non-zero if any check fails, after printing the figures it has.
 *
 *   npx ts-node --transpile-only test/busy/busy-stack.ts up|down STACK   (run by hack/busy-up)
 */
import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { clusterHealth, ComponentHealth, healthEndpoints } from "../../providers/kwok/health";
import { probe } from "../../providers/supervise/health";
import { ComponentPorts } from "../../providers/kwok/kwokctl-config";
import { readSupervisor, supervisorFiles } from "../../providers/supervise";
import {
    kubectl,
    leasesOf,
    listening,
    processesIn,
    ROOT,
    stateResources,
} from "../support/harness";
import { readWithClientNode, tokenClaims } from "../support/prow-fixtures";

const LOCAL_CLUSTER = "pulumi-nodejs:dynamic/kwok:LocalCluster";
const SIMULATOR = "pulumi-nodejs:dynamic/vcsim:VCenterSimulator";
const KCM = "kube-controller-manager";
/** How long a killed controller-manager may take to answer /healthz again, on a busy machine. */
const HEAL_TIMEOUT_MS = 60_000;
const DOWN_BUDGET_MS = 60_000;

interface Cluster {
    clusterName: string;
    dir: string;
    stackDir: string;
    ports: ComponentPorts;
    components: Record<string, ComponentHealth>;
}

const figures: [string, string][] = [];
const figure = (name: string, value: string) => {
    figures.push([name, value]);
    console.log(`[busy] ${name}: ${value}`);
};

const failures: string[] = [];

/** Each check is reported, and a failed one does not hide the others. */
function check(ok: boolean, what: string): void {
    console.log(`[busy] ${ok ? "ok" : "FAILED"}: ${what}`);
    if (!ok) {
        failures.push(what);
    }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const load = () =>
    os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `hack/run ARGS...` with its output shown; resolves with its wall time and peak 1-min load. */
function hackRun(args: string[]): Promise<{ ms: number; peakLoad: number }> {
    const started = Date.now();
    let peakLoad = os.loadavg()[0];
    const sampler = setInterval(() => (peakLoad = Math.max(peakLoad, os.loadavg()[0])), 5000);
    return new Promise((resolve, reject) => {
        const child = childProcess.spawn(path.join(ROOT, "hack/run"), args, { stdio: "inherit" });
        child.on("error", reject);
        child.on("exit", (code, signal) => {
            clearInterval(sampler);
            if (code === 0) {
                resolve({ ms: Date.now() - started, peakLoad });
            } else {
                reject(new Error(`hack/run ${args.join(" ")} failed (${signal ?? code})`));
            }
        });
    });
}

async function clustersOf(stack: Stack): Promise<Cluster[]> {
    return (await stateResources(stack))
        .filter((r) => r.type === LOCAL_CLUSTER)
        .map((r) => r.outputs as unknown as Cluster);
}

function supervised(cluster: Cluster, name: string) {
    const status = readSupervisor(supervisorFiles(cluster.dir));
    const entry = status?.processes.find((p) => p.name === name);
    if (!entry) {
        throw new Error(`${cluster.clusterName}: its supervisor lists no ${name}`);
    }
    return entry;
}

/** Every component healthy as `up` recorded it and as it answers now; prints the restarts. */
async function checkClusters(clusters: Cluster[]): Promise<void> {
    check(clusters.length === 5, `5 local clusters in the state (found ${clusters.length})`);
    for (const c of clusters) {
        const recorded = Object.entries(c.components).filter(([, h]) => !h.healthy);
        check(recorded.length === 0, `${c.clusterName}: every component healthy when up made it`);
        const now = await clusterHealth(c.dir, c.ports, supervisorFiles(c.dir));
        const row = Object.entries(now)
            .map(([name, h]) => `${name} ${h.state} ${h.restarts} restarts`)
            .join(", ");
        console.log(`[busy]   ${c.clusterName}: ${row}`);
        const sick = Object.entries(now).filter(([, h]) => !h.healthy);
        check(
            sick.length === 0,
            `${c.clusterName}: every component healthy now${sick.map(([n, h]) => `; ${n}: ${h.state} ${h.problem ?? ""}`).join("")}`,
        );
    }
}

/** The CI Job on the bootstrap cluster completed, as the watch recorded and the API shows. */
function checkCiJob(outputs: Record<string, { value: unknown }>): void {
    check(
        Number(outputs.vmcCiJobSucceeded?.value) >= 1,
        `the CI Job's watch saw it succeed (vmcCiJobSucceeded ${String(outputs.vmcCiJobSucceeded?.value)})`,
    );
    const [namespace, job] = String(outputs.vmcCiJob.value).split("/");
    const status = JSON.parse(
        kubectl(String(outputs.bootstrapKubeconfigFile.value), [
            "get",
            "job",
            "-n",
            namespace,
            job,
            "-o",
            "json",
        ]),
    ).status as { conditions?: { type: string; status: string }[] };
    const complete = status.conditions?.some((c) => c.type === "Complete" && c.status === "True");
    check(complete === true, `job ${namespace}/${job} is Complete on the bootstrap cluster`);
}

/** Each build cluster's token in Prow's kubeconfig: minted, unexpired, and accepted. */
function checkProwTokens(outputs: Record<string, { value: unknown }>): void {
    const expiresAt = outputs.prowTokenExpiresAt.value as Record<string, string>;
    const kubeconfig = outputs.prowKubeconfig.value as string;
    const read = readWithClientNode(kubeconfig);
    check(read.users.length === 3, `Prow's kubeconfig has 3 build clusters`);
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "busy-prow-"));
    const file = path.join(scratch, "prow.kubeconfig");
    fs.writeFileSync(file, kubeconfig, { mode: 0o600 });
    try {
        for (const user of read.users) {
            const claims = tokenClaims(user.token ?? "");
            check(
                Date.parse(expiresAt[user.name]) > Date.now() &&
                    claims.exp * 1000 === Date.parse(expiresAt[user.name]),
                `${user.name}: token minted, expires ${expiresAt[user.name]}`,
            );
            const answer = kubectl(file, [
                "--context",
                user.name,
                "auth",
                "can-i",
                "create",
                "pods",
                "-n",
                String(outputs.prowPodNamespace.value),
            ]).trim();
            check(answer === "yes", `${user.name}: the token is accepted (can-i create pods)`);
        }
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
}

/** SIGKILLs the bootstrap cluster's controller-manager; its supervisor must bring it back. */
async function checkHealing(cluster: Cluster): Promise<void> {
    const before = supervised(cluster, KCM);
    const endpoint = healthEndpoints(cluster.dir, cluster.ports)[KCM];
    const started = Date.now();
    process.kill(before.pid!, "SIGKILL");
    for (;;) {
        const now = supervised(cluster, KCM);
        if (now.state === "running" && now.pid !== before.pid && (await probe(endpoint)).ok) {
            figure(
                `${KCM} of ${cluster.clusterName} healed (SIGKILL to /healthz ok, no up)`,
                seconds(Date.now() - started),
            );
            check(
                now.restarts === before.restarts + 1,
                `its restart count went ${before.restarts} -> ${now.restarts}`,
            );
            return;
        }
        if (Date.now() - started > HEAL_TIMEOUT_MS) {
            throw new Error(
                `${KCM} of ${cluster.clusterName} not healthy ${seconds(HEAL_TIMEOUT_MS)} after SIGKILL (state ${now.state})`,
            );
        }
        await sleep(250);
    }
}

/** Freezes every controller-manager, then `down` must finish in time and leave nothing. */
async function checkDown(stack: Stack, clusters: Cluster[]): Promise<void> {
    const resources = await stateResources(stack);
    const stackDir = clusters[0].stackDir;
    const leaseDirs = [
        ...new Set(resources.map((r) => r.outputs?.leaseDir).filter((d) => typeof d === "string")),
    ] as string[];
    const ports = [
        ...clusters.flatMap((c) => Object.values(c.ports)),
        resources.find((r) => r.type === SIMULATOR)!.outputs!.port as number,
    ];
    check(leasesOf(leaseDirs, stackDir).length > 0, `the stack holds port leases before down`);
    for (const c of clusters) {
        process.kill(supervised(c, KCM).pid!, "SIGSTOP");
    }
    console.log(`[busy] every ${KCM} frozen (SIGSTOP): no controller runs`);
    const down = await hackRun(["down", stack.name]);
    figure("down with every controller-manager frozen", seconds(down.ms));
    check(down.ms < DOWN_BUDGET_MS, `down finished within ${seconds(DOWN_BUDGET_MS)}`);
    const left = processesIn(stackDir);
    check(left.length === 0, `no process of ${stackDir} left (${left.join(" ")})`);
    const open = [];
    for (const port of ports) {
        if (await listening(port)) {
            open.push(port);
        }
    }
    check(open.length === 0, `none of its ${ports.length} ports listening (${open.join(" ")})`);
    check(leasesOf(leaseDirs, stackDir).length === 0, `no port lease of the stack left`);
    check(!fs.existsSync(stackDir), `${stackDir} removed`);
    const stacks = await stack.workspace.listStacks();
    check(!stacks.some((s) => s.name === stack.name), `stack ${stack.name} removed`);
    const backend = process.env.PULUMI_BACKEND_URL!.replace(/^file:\/\//, "");
    const copies = (fs.readdirSync(backend, { recursive: true }) as string[]).filter((e) =>
        e.includes(stack.name),
    );
    check(copies.length === 0, `no copy of its state in the backend (${copies.join(" ")})`);
}

const selectStack = (name: string) =>
    LocalWorkspace.selectStack(
        { stackName: name, workDir: ROOT },
        { envVars: { PULUMI_CONFIG_PASSPHRASE: process.env.K8S_CI_ENVS_LOCAL_PASSPHRASE! } },
    );

async function upPhase(name: string): Promise<void> {
    figure("load average before up (1, 5, 15 min)", load());
    const up = await hackRun(["up", name]);
    figure("up under load", seconds(up.ms));
    figure("load average after up", `${load()}; peak 1-min ${up.peakLoad.toFixed(2)}`);
    const stack = await selectStack(name);
    const outputs = await stack.outputs();
    const clusters = await clustersOf(stack);
    await checkClusters(clusters);
    checkCiJob(outputs);
    checkProwTokens(outputs);
    await checkHealing(clusters.find((c) => c.clusterName === "bootstrap")!);
}

async function downPhase(name: string): Promise<void> {
    figure("load average before down (1, 5, 15 min)", load());
    const stack = await selectStack(name);
    await checkDown(stack, await clustersOf(stack));
}

const [phase, stackName] = process.argv.slice(2);
if (!stackName || !["up", "down"].includes(phase)) {
    console.error("usage: busy-stack.ts up|down STACK");
    process.exit(2);
}
const summary = () => console.log(figures.map(([k, v]) => `  ${k}: ${v}`).join("\n"));
(phase === "up" ? upPhase : downPhase)(stackName)
    .then(() => {
        if (failures.length > 0) {
            throw new Error(failures.join("; "));
        }
    })
    .then(
        () => {
            console.log(`[busy] ${phase} phase passed`);
            summary();
        },
        (err: Error) => {
            console.error(`[busy] FAILED: ${err.message}`);
            summary();
            process.exit(1);
        },
    );
