import * as pulumi from "@pulumi/pulumi";
import { countControlPlaneNodes } from "../../../components/prow/control-plane";
import { haControlPlaneProvider } from "../../../components/prow/ha-control-plane";
import { FakeCluster, startFakeCluster } from "../../support/fake-cluster";

let cluster: FakeCluster;

beforeAll(async () => {
    cluster = await startFakeCluster([
        { name: "cp-0", roles: ["control-plane"] },
        { name: "cp-1", roles: ["control-plane", "master"] },
        { name: "cp-legacy", roles: ["master"] },
        { name: "worker-0", roles: ["worker"] },
        { name: "worker-1", roles: [] },
    ]);
});

afterAll(() => cluster.close());

describe("countControlPlaneNodes", () => {
    it("counts the nodes labeled control-plane (or master, before Kubernetes 1.24)", async () => {
        expect(await countControlPlaneNodes(cluster.kubeconfig(), "cluster fake")).toEqual({
            nodes: 3,
        });
    });

    it("says how a reachable cluster refused to list its nodes", async () => {
        expect(
            await countControlPlaneNodes(cluster.kubeconfig("wrong-token"), "cluster fake"),
        ).toEqual({ status: 401 });
        expect(
            await countControlPlaneNodes(cluster.kubeconfig("viewer-token"), "cluster fake"),
        ).toEqual({ status: 403 });
    });

    it("cannot count a cluster it does not trust, or cannot reach", async () => {
        const otherCa = Buffer.from(
            "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
        ).toString("base64");
        expect(
            await countControlPlaneNodes(
                cluster.kubeconfig("admin-token", otherCa),
                "cluster fake",
            ),
        ).toBeUndefined();
        const unreachable = cluster.kubeconfig().replace(/127\.0\.0\.1:\d+/, "127.0.0.1:9");
        expect(await countControlPlaneNodes(unreachable, "cluster fake", 2000)).toBeUndefined();
    });
});

describe("HaControlPlane's provider", () => {
    const field = "k8s-ci-envs:prowBuildClusters[0]";
    const inputs = (alias: string, kubeconfig: string, justMade: boolean) => ({
        field,
        alias,
        kubeconfig,
        justMade,
        retryDelayMs: 10,
    });
    const create = (alias: string, kubeconfig: string) =>
        haControlPlaneProvider.create!(inputs(alias, kubeconfig, true));
    const check = async (alias: string, kubeconfig: string) =>
        haControlPlaneProvider.check!({}, inputs(alias, kubeconfig, false));

    describe("on a cluster the stack has just made (create)", () => {
        it("passes the kubeconfig on once the nodes show three control-plane nodes", async () => {
            const kubeconfig = cluster.kubeconfig();
            const { outs } = await create("fake", kubeconfig);
            expect(outs.kubeconfig).toBe(kubeconfig);
            expect(outs.checked).toBe("3 control-plane nodes, counted from its nodes' labels");
        });

        it("asks again while the new API server does not answer", async () => {
            const starting = await startFakeCluster(
                [1, 2, 3].map((i) => ({ name: `cp-${i}`, roles: ["control-plane"] })),
                2,
            );
            try {
                const { outs } = await create("starting", starting.kubeconfig());
                expect(outs.kubeconfig).toBe(starting.kubeconfig());
            } finally {
                await starting.close();
            }
        });

        it("refuses a cluster that never answers, or answers without its nodes, naming the key", async () => {
            const unreachable = cluster.kubeconfig().replace(/127\.0\.0\.1:\d+/, "127.0.0.1:9");
            await expect(create("gone", unreachable)).rejects.toThrow(
                /k8s-ci-envs:prowBuildClusters\[0\] cluster gone did not answer when asked for its nodes \(6 tries\)/,
            );
            await expect(create("fake", cluster.kubeconfig("viewer-token"))).rejects.toThrow(
                "cluster fake answered 403 when asked for its nodes",
            );
        });

        it("refuses a cluster with fewer than three control-plane nodes", async () => {
            const small = await startFakeCluster([{ name: "cp-0", roles: ["control-plane"] }]);
            try {
                await expect(create("small", small.kubeconfig())).rejects.toThrow(
                    /k8s-ci-envs:prowBuildClusters\[0\].*3/,
                );
            } finally {
                await small.close();
            }
        });
    });

    describe("on a configured cluster (check, at preview and update)", () => {
        it("refuses a reachable cluster whose nodes show fewer than 3 control-plane nodes", async () => {
            const small = await startFakeCluster([
                { name: "cp-0", roles: ["control-plane"] },
                { name: "cp-1", roles: ["control-plane"] },
                { name: "w-0", roles: ["worker"] },
            ]);
            try {
                const { failures } = await check("prow-s390x-workloads", small.kubeconfig());
                expect(failures).toEqual([
                    {
                        property: "kubeconfig",
                        reason: "k8s-ci-envs:prowBuildClusters[0] (cluster prow-s390x-workloads): has 2 control-plane nodes (counted from its nodes' labels); a build cluster needs an HA control plane of at least 3",
                    },
                ]);
            } finally {
                await small.close();
            }
        });

        it("passes a cluster it cannot reach or list, saying exactly what it could not check", async () => {
            const unreachable = cluster.kubeconfig().replace(/127\.0\.0\.1:\d+/, "127.0.0.1:9");
            const warn = jest.spyOn(pulumi.log, "warn").mockImplementation(() => Promise.resolve());
            let gone: Awaited<ReturnType<typeof check>>;
            try {
                gone = await check("gone", unreachable);
                expect(warn.mock.calls.map(([m]) => m)).toEqual([
                    `${field}: ${gone.inputs.checked}`,
                ]);
            } finally {
                warn.mockRestore();
            }
            expect(gone.failures).toEqual([]);
            expect(gone.inputs.checked).toBe(
                "not counted: cluster gone did not answer when asked for its nodes (1 try); the HA rule (at least 3 control-plane nodes) was checked from configuration only",
            );
            const viewer = await check("fake", cluster.kubeconfig("viewer-token"));
            expect(viewer.failures).toEqual([]);
            expect(viewer.inputs.checked).toMatch(/^not counted: cluster fake answered 403/);
        });

        it("leaves a cluster whose kubeconfig is not known yet to create", async () => {
            const unknown = await haControlPlaneProvider.check!(
                {},
                inputs("new", pulumi.runtime.unknownValue, true),
            );
            expect(unknown.failures ?? []).toEqual([]);
            expect(unknown.inputs.checked).toBe("counted once the cluster exists");
        });
    });
});
