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

export interface BoskosServer {
    host: string;
    kubeconfig: string;
    /** Each resource's state, read from the cluster that stores them. */
    states(): Record<string, string>;
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
 * boskos-userdata.sh sets it (acquire, update, release).
 */
export async function startBoskos(
    type: string,
    names: string[],
    userdata: Record<string, string>,
): Promise<BoskosServer> {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "boskos-it-"));
    const cluster = await createCluster({
        stackDir: work,
        clusterName: "boskos",
        nodes: { controlPlane: 1, workers: 0 },
        leaseDir: CLUSTER_LEASE_DIR,
    });
    const kubeconfig = path.join(work, "kubeconfig");
    fs.writeFileSync(kubeconfig, cluster.kubeconfig, { mode: 0o600 });
    kubectl(kubeconfig, ["apply", "-f", path.join(ROOT, "hack/tools/bin/boskos-crds.yaml")]);
    kubectl(kubeconfig, ["wait", "--for=condition=Established", "crd", "--all", "--timeout=60s"]);
    const config = path.join(work, "boskos.yaml");
    fs.writeFileSync(config, yaml.dump({ resources: [{ type, state: "free", names }] }));
    const [port, metrics, pprof, health] = await Promise.all([1, 2, 3, 4].map(() => closedPort()));
    const log = fs.openSync(path.join(work, "boskos.log"), "a");
    const env = { ...process.env };
    delete env.KUBECONFIG;
    const server = childProcess.spawn(
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
    const host = `http://127.0.0.1:${port}`;
    const states = () => {
        const list = JSON.parse(
            kubectl(kubeconfig, ["get", "resources.boskos.k8s.io", "-o", "json"]),
        );
        const items = list.items as { metadata: { name: string }; status: { state: string } }[];
        return Object.fromEntries(items.map((i) => [i.metadata.name, i.status.state]));
    };
    await waitFor(async () => Object.keys(states()).length === names.length, "Boskos's resources");
    await waitFor(async () => (await fetch(`${host}/`)).ok, "Boskos to answer");
    const setup = new BoskosClient(host, "userdata-setup");
    for (let i = 0; i < names.length; i++) {
        const r = await setup.acquire(type, "free", "busy");
        await setup.update(r.name, "busy", userdata);
        await setup.release(r.name, "free");
    }
    return {
        host,
        kubeconfig,
        states,
        stop: async () => {
            server.kill("SIGTERM");
            await removeCluster(cluster, cluster.ports);
            fs.rmSync(work, { recursive: true, force: true });
        },
    };
}
