import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Stack } from "@pulumi/pulumi/automation";
import { failingPodMetadata } from "../../providers/kwok";
import { prowBuildClusters } from "../support/prow-tools";
import { heldBy } from "../../providers/ports/leases";
import { LOCAL_LEASE_DIR } from "../../providers/ports/local";
import {
    createStack,
    kubectl,
    leasesOf,
    listening,
    observed,
    processesIn,
    removeStack,
    ROOT,
    stateResources,
    uniqueStackName,
} from "../support/harness";

jest.setTimeout(6 * 60 * 1000);

const LOCAL_CLUSTER = "pulumi-nodejs:dynamic/kwok:LocalCluster";
const PROW_ALIASES = ["prow-workloads", "prow-arm64-workloads", "prow-s390x-workloads"];

interface ClusterState {
    clusterName: string;
    dir: string;
    leaseDir: string;
    stackDir: string;
    ports: Record<string, number>;
}

async function clusters(stack: Stack): Promise<ClusterState[]> {
    return (await stateResources(stack))
        .filter((r) => r.type === LOCAL_CLUSTER)
        .map((r) => r.outputs as unknown as ClusterState);
}

/** Runs `body` with KUBECONFIG set as a user's shell would have it, for the engine too. */
async function withKubeconfig<T>(value: string, body: () => Promise<T>): Promise<T> {
    const saved = process.env.KUBECONFIG;
    process.env.KUBECONFIG = value;
    try {
        return await body();
    } finally {
        if (saved === undefined) {
            delete process.env.KUBECONFIG;
        } else {
            process.env.KUBECONFIG = saved;
        }
    }
}

function snapshot(file: string): string | undefined {
    return fs.existsSync(file) ? fs.readFileSync(file, "base64") : undefined;
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
        if (Date.now() > deadline) {
            throw new Error(`timed out waiting for ${what}`);
        }
        await new Promise((r) => setTimeout(r, 250));
    }
}

function jobManifest(name: string, fail: boolean) {
    return JSON.stringify({
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: { name, namespace: "default" },
        spec: {
            backoffLimit: 1,
            template: {
                metadata: fail ? failingPodMetadata(3, "TestsFailed") : {},
                spec: {
                    restartPolicy: "Never",
                    containers: [{ name: "e2e", image: "registry.invalid/e2e:v1" }],
                },
            },
        },
    });
}

describe("the local stack's clusters, on the real engine and real API servers", () => {
    const name = uniqueStackName("clusters");
    const userHome = path.join(os.homedir(), ".kube", "config");
    const homeBefore = snapshot(userHome);
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "user-kubeconfig-"));
    const unrelated = path.join(scratch, "config");
    const unrelatedText = "apiVersion: v1\nkind: Config\ncurrent-context: mine\nclusters: []\n";
    fs.writeFileSync(unrelated, unrelatedText);
    let stack: Stack;
    let outputs: Record<string, { value: unknown; secret?: boolean }>;
    let files: Record<string, string>;
    let bootstrap: string;

    beforeAll(async () => {
        stack = await createStack(name);
    });

    afterAll(async () => {
        if (fs.existsSync(path.join(ROOT, `Pulumi.${name}.yaml`))) {
            await removeStack(stack);
        }
        fs.rmSync(scratch, { recursive: true, force: true });
    });

    it("comes up with KUBECONFIG naming a file that does not exist, and creates none", async () => {
        const missing = path.join(scratch, "missing", "config");
        const result = await withKubeconfig(missing, () => stack.up());
        expect(result.summary.result).toBe("succeeded");
        expect(fs.existsSync(missing)).toBe(false);
        outputs = result.outputs;
        files = outputs.prowClusterKubeconfigFiles.value as Record<string, string>;
        bootstrap = outputs.bootstrapKubeconfigFile.value as string;
        expect(outputs.bootstrapKubeconfig.secret).toBe(true);
        expect(fs.statSync(bootstrap).mode & 0o777).toBe(0o600);
    });

    it("has nothing to change right after up", async () => {
        await stack.preview({ expectNoChanges: true });
    });

    it("gives each cluster its own loopback ports, leased machine-wide", async () => {
        const all = await clusters(stack);
        expect(all.map((c) => c.clusterName).sort()).toEqual([
            "bootstrap",
            "build-cluster-prow-arm64-workloads",
            "build-cluster-prow-s390x-workloads",
            "build-cluster-prow-workloads",
            "prow-service",
        ]);
        const ports = all.flatMap((c) => Object.values(c.ports));
        expect(new Set(ports).size).toBe(ports.length);
        for (const c of all) {
            expect(c.dir.startsWith(path.join(c.stackDir, "kwok"))).toBe(true);
            for (const [component, port] of Object.entries(c.ports)) {
                const lease = heldBy(
                    c.leaseDir,
                    `${c.stackDir}#cluster/${c.clusterName}/${component}`,
                );
                expect(lease?.port).toBe(port);
            }
        }
    });

    it("shows the bootstrap cluster's node to kubectl, and runs its Jobs to their end", async () => {
        const nodes = kubectl(bootstrap, ["get", "nodes", "-o", "name"]);
        expect(nodes.trim()).toBe("node/bootstrap-control-plane");
        kubectl(bootstrap, ["apply", "-f", "-"], jobManifest("passes", false));
        kubectl(bootstrap, ["apply", "-f", "-"], jobManifest("fails", true));
        kubectl(bootstrap, ["wait", "--for=condition=Complete", "job/passes", "--timeout=90s"]);
        kubectl(bootstrap, ["wait", "--for=condition=Failed", "job/fails", "--timeout=90s"]);
        const failed = JSON.parse(kubectl(bootstrap, ["get", "job", "fails", "-o", "json"]));
        expect(failed.status.failed).toBe(2); // the first try and one retry (backoffLimit 1)
        const pods = JSON.parse(
            kubectl(bootstrap, ["get", "pods", "-l", "job-name=fails", "-o", "json"]),
        ).items as { status: { containerStatuses: { state: { terminated: object } }[] } }[];
        expect(pods[0].status.containerStatuses[0].state.terminated).toMatchObject({
            exitCode: 3,
            reason: "TestsFailed",
        });
        kubectl(bootstrap, ["delete", "job", "passes", "fails", "--cascade=foreground"]);
    });

    it("counts the build clusters' control planes from their real Node objects", () => {
        for (const alias of PROW_ALIASES) {
            const names = kubectl(files[`build-cluster-${alias}`], [
                "get",
                "nodes",
                "-l",
                "node-role.kubernetes.io/control-plane",
                "-o",
                "name",
            ]);
            expect(names.trim().split("\n")).toHaveLength(3);
        }
    });

    it("is accepted by Prow's own loader: every build cluster reachable, and pods allowed in pod_namespace", async () => {
        const statuses = await prowBuildClusters(
            outputs.prowKubeconfig.value as string,
            outputs.prowPodNamespace.value as string,
        );
        expect(statuses.sort((a, b) => a.context.localeCompare(b.context))).toEqual(
            ["default", ...PROW_ALIASES].sort().map((context) => ({ context, ok: true })),
        );
        // And Prow refuses them in a namespace where the registration gave it no rights.
        const elsewhere = await prowBuildClusters(
            outputs.prowKubeconfig.value as string,
            "default",
        );
        expect(elsewhere.every((s) => !s.ok)).toBe(true);
    });

    it("refuses, at preview, a build cluster whose API shows fewer than 3 control-plane nodes", async () => {
        // The bootstrap cluster, a single control-plane node, offered as a Prow build cluster.
        const other = await createStack(uniqueStackName("not-ha"));
        try {
            await other.setConfig("k8s-ci-envs:prowKubeconfigs", {
                value: JSON.stringify({ "prow-workloads": outputs.bootstrapKubeconfig.value }),
                secret: true,
            });
            await expect(other.preview()).rejects.toThrow(
                /k8s-ci-envs:prowBuildClusters\[0\] \(cluster prow-workloads\): has 1 control-plane nodes \(counted from its nodes' labels\)/,
            );
            const created = (await stateResources(other)).filter(
                (r) => r.type !== "pulumi:pulumi:Stack",
            );
            expect(created).toEqual([]);
            expect(fs.existsSync(path.join(ROOT, "out", other.name))).toBe(false);
        } finally {
            await removeStack(other);
        }
    });

    it("shows a Secret deleted by hand in refresh, and up puts it back", async () => {
        kubectl(files["prow-service"], ["delete", "secret", "-n", "kubevirt-prow", "kubeconfig"]);
        const refreshed = await stack.refresh();
        expect(refreshed.summary.resourceChanges).toMatchObject({ delete: 1 });
        const result = await stack.up();
        expect(result.summary.resourceChanges).toMatchObject({ create: 1 });
        const back = kubectl(files["prow-service"], [
            "get",
            "secret",
            "-n",
            "kubevirt-prow",
            "kubeconfig",
            "-o",
            "jsonpath={.data.config}",
        ]);
        expect(Buffer.from(back, "base64").toString()).toBe(
            (await stack.outputs()).prowKubeconfig.value,
        );
    });

    it("restarts a killed controller-manager and API server, and refresh shows the restarts", async () => {
        const cluster = (await clusters(stack)).find(
            (c) => c.clusterName === "build-cluster-prow-workloads",
        )!;
        const state = path.join(cluster.dir, "supervisor-state.json");
        const component = (n: string) =>
            (
                JSON.parse(fs.readFileSync(state, "utf8")).components as {
                    name: string;
                    pid: number;
                    state: string;
                    restarts: number;
                }[]
            ).find((c) => c.name === n)!;
        for (const name of ["kube-controller-manager", "kube-apiserver"]) {
            const before = component(name);
            process.kill(before.pid, "SIGKILL");
            await waitFor(`${name} to run again`, () => {
                const now = component(name);
                return now.state === "running" && now.pid !== before.pid;
            });
            expect(component(name).restarts).toBe(before.restarts + 1);
        }
        await stack.refresh();
        const health = (await stateResources(stack)).find(
            (r) =>
                r.type === LOCAL_CLUSTER &&
                (r.outputs as { clusterName?: string }).clusterName === cluster.clusterName,
        )!.outputs!.components as Record<string, { restarts: number }>;
        expect(health["kube-controller-manager"].restarts).toBeGreaterThanOrEqual(1);
        expect(health["kube-apiserver"].restarts).toBeGreaterThanOrEqual(1);
    });

    it("drops a cluster whose supervisor died on refresh without touching it, and up brings it back", async () => {
        const cluster = (await clusters(stack)).find(
            (c) => c.clusterName === "build-cluster-prow-workloads",
        )!;
        const state = JSON.parse(
            fs.readFileSync(path.join(cluster.dir, "supervisor-state.json"), "utf8"),
        ) as { pid: number };
        process.kill(state.pid, "SIGKILL");
        await waitFor(
            "the cluster's processes to die",
            () => processesIn(cluster.dir).length === 0,
        );
        // preview --refresh and refresh --preview-only only observe: no process, file, lease or
        // state changes, though the preview sees the cluster gone.
        const stackDir = (await stack.outputs()).stackDir.value as string;
        // (The live clusters' own files change all the time: the dead one's must not.)
        const look = async () => ({
            ...(await observed(stack, [cluster.dir])),
            running: processesIn(stackDir).sort(),
            leases: leasesOf([LOCAL_LEASE_DIR], stackDir),
        });
        const before = await look();
        expect(before.leases.length).toBeGreaterThan(0);
        expect((await stack.preview({ refresh: true })).changeSummary.create).toBeGreaterThan(0);
        expect(await look()).toEqual(before);
        await stack.previewRefresh();
        expect(await look()).toEqual(before);

        await stack.refresh();
        const names = (await clusters(stack)).map((c) => c.clusterName);
        expect(names).not.toContain("build-cluster-prow-workloads");
        // Refresh only observes: what is left goes when the cluster is created again.
        expect(fs.existsSync(cluster.dir)).toBe(true);

        const result = await stack.up();
        expect(result.summary.result).toBe("succeeded");
        const file = (await stack.outputs()).prowClusterKubeconfigFiles.value as Record<
            string,
            string
        >;
        const sa = kubectl(file["build-cluster-prow-workloads"], [
            "get",
            "serviceaccount",
            "-n",
            "kubevirt-prow-jobs",
            "-o",
            "name",
        ]);
        expect(sa).toContain("prow-workloads-cluster-automation");
        await stack.preview({ expectNoChanges: true });
    });

    it("goes down with KUBECONFIG naming an unrelated file, leaving nothing behind", async () => {
        const all = await clusters(stack);
        const ports = all.flatMap((c) => Object.values(c.ports));
        const stackDir = all[0].stackDir;
        expect(await listening(all[0].ports.kubeApiserverPort)).toBe(true);
        // Every controller-manager frozen: no deletion that needs one could ever finish.
        for (const c of all) {
            const state = JSON.parse(
                fs.readFileSync(path.join(c.dir, "supervisor-state.json"), "utf8"),
            ) as { components: { name: string; pid: number }[] };
            const kcm = state.components.find((p) => p.name === "kube-controller-manager")!;
            process.kill(kcm.pid, "SIGSTOP");
        }

        const started = Date.now();
        await withKubeconfig(unrelated, () => removeStack(stack));
        expect(Date.now() - started).toBeLessThan(60_000);

        expect(processesIn(stackDir)).toEqual([]);
        for (const port of ports) {
            expect([port, await listening(port)]).toEqual([port, false]);
        }
        for (const c of all) {
            expect(
                heldBy(c.leaseDir, `${c.stackDir}#cluster/${c.clusterName}/kubeApiserverPort`),
            ).toBeUndefined();
        }
        expect(fs.existsSync(stackDir)).toBe(false);
        expect(fs.readFileSync(unrelated, "utf8")).toBe(unrelatedText);
        expect(snapshot(userHome)).toBe(homeBefore);
    });
});
