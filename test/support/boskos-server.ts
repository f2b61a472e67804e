/**
 * A real Boskos server (sigs.k8s.io/boskos, built by hack/tools/install --test) whose resources
 * live in a local cluster made as LocalCluster makes one (outside any stack), with its CRDs.
 */
import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import {
    CLUSTER_LEASE_DIR,
    createCluster,
    removeCluster,
} from "../../providers/kwok/local-cluster";
import { BoskosClient } from "../../run/boskos-client";
import { kubectl, ROOT } from "./harness";
import { closedPort } from "./prow-fixtures";

/** A resource's status, as Boskos stores it (its ResourceObject's status). */
export interface BoskosStatus {
    state: string;
    owner: string;
    lastUpdate: string;
}

export interface BoskosServer {
    host: string;
    kubeconfig: string;
    /** Each resource's state, read from the cluster that stores them. */
    states(): Record<string, string>;
    /** Each resource's status, read from the cluster that stores them. */
    statuses(): Record<string, BoskosStatus>;
    stop(): Promise<void>;
}

async function waitFor(check: () => Promise<boolean>, what: string, ms = 120_000) {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
        if (await check().catch(() => false)) {
            return;
        }
        await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`timed out waiting for ${what}`);
}

/**
 * Starts Boskos with `names` of `type`, free, each with `userdata` set as CAPV's
 * boskos-userdata.sh sets it (acquire, update, release), and the resources of `moreTypes`.
 */
export async function startBoskos(
    type: string,
    names: string[],
    userdata: Record<string, string>,
    moreTypes: { type: string; names: string[] }[] = [],
): Promise<BoskosServer> {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "boskos-it-"));
    const cluster = await createCluster({
        stackDir: work,
        clusterName: "boskos",
        nodes: { controlPlane: 1, workers: 0 },
        leaseDir: CLUSTER_LEASE_DIR,
    });
    let server: childProcess.ChildProcess | undefined;
    const stop = async () => {
        server?.kill("SIGTERM");
        await removeCluster(cluster, cluster.ports);
        fs.rmSync(work, { recursive: true, force: true });
    };
    const kubeconfig = path.join(work, "kubeconfig");
    const statuses = (): Record<string, BoskosStatus> => {
        const list = JSON.parse(
            kubectl(kubeconfig, ["get", "resources.boskos.k8s.io", "-o", "json"]),
        );
        const items = list.items as { metadata: { name: string }; status: BoskosStatus }[];
        return Object.fromEntries(items.map((i) => [i.metadata.name, i.status]));
    };
    const states = () =>
        Object.fromEntries(Object.entries(statuses()).map(([name, s]) => [name, s.state]));
    let host = "";
    // A start that fails part way stops what it started: a live child would keep jest running.
    try {
        fs.writeFileSync(kubeconfig, cluster.kubeconfig, { mode: 0o600 });
        kubectl(kubeconfig, ["apply", "-f", path.join(ROOT, "hack/tools/bin/boskos-crds.yaml")]);
        kubectl(kubeconfig, [
            "wait",
            "--for=condition=Established",
            "crd",
            "--all",
            "--timeout=60s",
        ]);
        const config = path.join(work, "boskos.yaml");
        const resources = [{ type, names }, ...moreTypes].map((r) => ({ ...r, state: "free" }));
        fs.writeFileSync(config, yaml.dump({ resources }));
        const ports = await Promise.all([1, 2, 3, 4].map(() => closedPort()));
        const [port, metrics, pprof, health] = ports;
        const log = fs.openSync(path.join(work, "boskos.log"), "a");
        const env = { ...process.env };
        delete env.KUBECONFIG;
        server = childProcess.spawn(
            "boskos",
            [
                `--config=${config}`,
                `--kubeconfig=${kubeconfig}`,
                "--namespace=default",
                `--port=${port}`,
                `--metrics-port=${metrics}`,
                `--pprof-port=${pprof}`,
                `--health-port=${health}`,
            ],
            { env, stdio: ["ignore", log, log] },
        );
        host = `http://127.0.0.1:${port}`;
        const count = names.length + moreTypes.reduce((n, t) => n + t.names.length, 0);
        await waitFor(async () => Object.keys(states()).length === count, "Boskos's resources");
        await waitFor(async () => (await fetch(`${host}/`)).ok, "Boskos to answer");
        const owner = "userdata-setup";
        const setup = new BoskosClient(host, owner);
        for (let i = 0; i < names.length; i++) {
            const r = await setup.acquire(type, "free", "busy");
            // Boskos answers an update from its informer cache, which can still show the
            // resource unowned just after the acquire (401 "owner mismatch").
            await waitFor(async () => statuses()[r.name]?.owner === owner, `${r.name} acquired`);
            await waitFor(
                () => setup.update(r.name, "busy", userdata).then(() => true),
                `${r.name}'s userdata`,
                30_000,
            );
            await setup.release(r.name, "free");
        }
    } catch (err) {
        await stop();
        throw err;
    }
    return {
        host,
        kubeconfig,
        states,
        statuses,
        stop,
    };
}
