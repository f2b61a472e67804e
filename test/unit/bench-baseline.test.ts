/**
 * bench/baseline/up.sh builds the local stack by hand, for bench/lifecycle.ts to compare with:
 * its clusters, VMs and Kubernetes objects must stay those the stack registers.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { recorded, settle, setupMocks, unwrap } from "../support/mocks";
import type * as ConfigModule from "../../stacks/config";
import type * as LocalModule from "../../stacks/local";

const BASELINE = path.resolve(__dirname, "../../bench/baseline");

interface Manifest {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string };
}

const key = (cluster: string, o: Manifest) =>
    `${cluster} ${o.apiVersion}/${o.kind} ${o.metadata.namespace ?? "-"}/${o.metadata.name}`;

/** The cluster a resource's explicit kubernetes provider (`...::<cluster>[-provider]::id`) is. */
function clusterOf(provider: string): string {
    const name = /providers:kubernetes::([^:]+)::/.exec(provider)?.[1] ?? provider;
    return name.replace(/-provider$/, "");
}

let stackObjects: string[];
let stackClusters: string[];
let stackVms: string[];

beforeAll(async () => {
    await setupMocks({ stack: "local" });
    const config: typeof ConfigModule = await import("../../stacks/config");
    const stack: typeof LocalModule = await import("../../stacks/local");
    const settings = config.readSettings(
        { get: () => undefined, getSecret: () => undefined },
        "local",
        path.resolve(__dirname, "../.."),
    );
    if (settings.composition !== "local") throw new Error("expected local");
    await unwrap((await stack.local(settings)).envFile);
    await settle(); // every registration, including those made from outputs
    stackObjects = recorded
        .filter((r) => r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:yaml:"))
        .filter((r) => (r.inputs as Partial<Manifest>).metadata?.name !== undefined) // not reads
        .map((r) => key(clusterOf(r.provider), r.inputs as unknown as Manifest))
        .sort();
    stackClusters = recorded
        .filter((r) => r.type === "pulumi-nodejs:dynamic/kwok:LocalCluster")
        .map((r) => {
            const { clusterName, nodes } = r.inputs as {
                clusterName: string;
                nodes: { controlPlane: number; workers: number };
            };
            return `${clusterName} ${nodes.controlPlane}${nodes.workers ? `+${nodes.workers}` : ""}`;
        })
        .sort();
    stackVms = recorded
        .filter((r) => r.type === "pulumi-nodejs:dynamic/vsphere:VirtualMachine")
        .map(
            (r) =>
                `${String(r.inputs.name)} ${String(r.inputs.cpus)} ${String(r.inputs.memoryMiB)}`,
        )
        .sort();
}, 120_000);

const script = () => fs.readFileSync(path.join(BASELINE, "up.sh"), "utf8");

describe("the baseline script (bench/baseline/up.sh)", () => {
    it("applies the Kubernetes objects the local stack creates, on the same clusters", () => {
        const dir = path.join(BASELINE, "manifests");
        const scriptObjects = fs
            .readdirSync(dir)
            .flatMap((file) =>
                yaml
                    .loadAll(fs.readFileSync(path.join(dir, file), "utf8"))
                    .map((o) => key(file.replace(/(\.base)?\.yaml$/, ""), o as Manifest)),
            )
            .sort();
        expect(stackObjects.length).toBeGreaterThan(40);
        expect(scriptObjects).toEqual(stackObjects);
    });

    it("creates the stack's local clusters with the same control-plane node counts", () => {
        const clusters = [...script().matchAll(/^cluster (\S+) (\d+)$/gm)]
            .map((m) => `${m[1]} ${m[2]}`)
            .sort();
        expect(clusters).toEqual(stackClusters);
    });

    it("clones the stack's VMs with the same CPUs and memory", () => {
        const vms = [...script().matchAll(/"(clusterapi-\S+) (\d+) (\d+)"/g)]
            .map((m) => `${m[1]} ${m[2]} ${m[3]}`)
            .sort();
        expect(vms).toEqual(stackVms);
    });
});
