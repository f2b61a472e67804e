import * as pulumi from "@pulumi/pulumi";
import { ofType, recorded, reveal, settle, setupMocks } from "../../support/mocks";
import { adminKubeconfig } from "../../support/prow-fixtures";
import type * as K8sModule from "@pulumi/kubernetes";
import type * as ProwModule from "../../../components/prow";

let k8s: typeof K8sModule;
let prow: typeof ProwModule;

beforeAll(async () => {
    await setupMocks();
    k8s = await import("@pulumi/kubernetes");
    prow = await import("../../../components/prow");
});

beforeEach(async () => setupMocks());
afterEach(() => settle());

const provider = (alias: string) => new k8s.Provider(`build-cluster-${alias}`, {});

/** Build clusters with their jobs namespaces, as BuildClusterRegistration makes them. */
const buildClusters = (...aliases: string[]) =>
    Object.fromEntries(
        aliases.map((a) => {
            const clusterProvider = provider(a);
            const namespace = new k8s.core.v1.Namespace(
                `${a}-jobs-namespace`,
                { metadata: { name: "kubevirt-prow-jobs" } },
                { provider: clusterProvider },
            );
            return [a, { provider: clusterProvider, namespace }];
        }),
    );
const kubernetesObjects = () => recorded.filter((r) => r.type.startsWith("kubernetes:"));

describe("BuildClusterRegistration", () => {
    const register = (clusters: { alias: string; controlPlaneNodes: number }[]) =>
        new prow.BuildClusterRegistration("reg", {
            clusters: clusters.map((c) => ({
                ...c,
                kubeconfig: pulumi.secret(adminKubeconfig(c.alias)),
                provider: provider(c.alias),
            })),
            settings: { ...prow.DEFAULT_PROW, defaultCluster: clusters[0].alias },
            prowProvider: new k8s.Provider("prow-service", {}),
        });

    it("refuses a cluster without an HA control plane, a duplicate and an invalid alias, creating nothing", async () => {
        expect(() =>
            register([
                { alias: "prow-workloads", controlPlaneNodes: 2 },
                { alias: "prow-workloads", controlPlaneNodes: 3 },
                { alias: "Prow_ARM", controlPlaneNodes: 3 },
            ]),
        ).toThrow(
            [
                "reg: buildClusters[0] (cluster prow-workloads): has 2 control-plane nodes (configured); a build cluster needs an HA control plane of at least 3",
                "reg: buildClusters[1] (cluster prow-workloads): the alias is registered twice",
                'reg: buildClusters[2] (cluster "Prow_ARM"): the alias is not a valid context name',
            ].join("\n"),
        );
        await settle();
        expect(kubernetesObjects()).toEqual([]);
    });
});

describe("KubevirtciExternalProvider", () => {
    const external = (
        jobs: ProwModule.ExternalProviderJob[],
        registered = buildClusters(
            "prow-workloads",
            "prow-arm64-workloads",
            "prow-s390x-workloads",
        ),
    ) =>
        new prow.KubevirtciExternalProvider("ext", {
            clusters: [{ name: "kubeconfigARM", kubeconfig: pulumi.secret("k") }],
            secretName: "kubevirtci-external-kubeconfigs",
            jobCluster: "prow-workloads",
            buildClusters: registered,
            jobs,
        });

    it("creates the kubeconfigs secret on every build cluster a job runs on, and only there", async () => {
        const component = external([
            { name: "arm", cluster: "prow-arm64-workloads", secretKey: "kubeconfigARM" },
            { name: "arm-2", cluster: "prow-arm64-workloads", secretKey: "kubeconfigARM" },
        ]);
        expect(Object.keys(component.secrets).sort()).toEqual([
            "prow-arm64-workloads",
            "prow-workloads",
        ]);
        await settle();
        const secrets = ofType("kubernetes:core/v1:Secret");
        expect(secrets.map((s) => s.name).sort()).toEqual([
            "ext-kubeconfigs-prow-arm64-workloads",
            "ext-kubeconfigs-prow-workloads",
        ]);
        for (const s of secrets) {
            expect(s.inputs.metadata).toEqual({
                name: "kubevirtci-external-kubeconfigs",
                namespace: "kubevirt-prow-jobs",
            });
            expect(reveal(s.inputs.stringData)).toEqual({ kubeconfigARM: "k" });
            // Created through the provider of the cluster it is named after.
            const cluster = s.name.replace("ext-kubeconfigs-", "");
            expect(s.provider).toMatch(
                new RegExp(`::pulumi:providers:kubernetes::build-cluster-${cluster}::`),
            );
        }
    });

    it("refuses a job naming a missing key or cluster, and a job cluster that is not registered, creating nothing", async () => {
        expect(() =>
            external(
                [{ name: "s390x", cluster: "ibm-prow-jobs", secretKey: "kubeconfigS390X" }],
                buildClusters("prow-arm64-workloads"),
            ),
        ).toThrow(
            [
                'ext: jobs[0] (job s390x): cluster "ibm-prow-jobs" is not a registered build cluster',
                'ext: jobs[0] (job s390x): secret key "kubeconfigS390X" is not in kubevirtci-external-kubeconfigs',
                'ext: jobCluster "prow-workloads" is not a registered build cluster',
            ].join("\n"),
        );
        await settle();
        expect(ofType("kubernetes:core/v1:Secret")).toEqual([]);
    });
});
