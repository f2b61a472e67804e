import * as path from "path";
import * as yaml from "js-yaml";
import * as pulumi from "@pulumi/pulumi";
import {
    isSecretInput,
    mockLocalClusters,
    named,
    ofType,
    recorded,
    RecordedResource,
    reveal,
    settle,
    setupMocks,
    unwrap,
    urnOf,
} from "../support/mocks";
import {
    adminKubeconfig,
    expectAliasRegistered,
    readWithClientNode,
} from "../support/prow-fixtures";
import { FakeCluster, startFakeCluster } from "../support/fake-cluster";
import type * as ConfigModule from "../../stacks/config";
import type * as ProwModule from "../../stacks/prow";

const ROOT = path.resolve(__dirname, "../..");
jest.setTimeout(60_000);
const ALIASES = ["prow-workloads", "prow-arm64-workloads", "prow-s390x-workloads"];
const SECRET = "kubernetes:core/v1:Secret";
const ROLE = "kubernetes:rbac.authorization.k8s.io/v1:Role";
const ROLE_BINDING = "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding";
const TOKEN = "pulumi-nodejs:dynamic/tokens:ServiceAccountToken";
/** The token the mocked TokenRequest API mints for Prow's service account. */
const MINTED = "token-of-prow-workloads-cluster-automation-in-kubevirt-prow-jobs";

let config: typeof ConfigModule;
let stack: typeof ProwModule;
let automationKey: string;
/** What every fixture cluster's API answers: three control-plane nodes. */
let fixtureApi: FakeCluster;

beforeAll(async () => {
    fixtureApi = await startFakeCluster(
        ["a", "b", "c"].map((n) => ({ name: n, roles: ["control-plane"] })),
    );
    mockLocalClusters(() => fixtureApi.kubeconfig());
    await setupMocks({ stack: "prow-test" });
    config = await import("../../stacks/config");
    stack = await import("../../stacks/prow");
    const openpgp: typeof import("openpgp") = require("openpgp");
    automationKey = (
        await openpgp.generateKey({
            type: "ecc",
            curve: "curve25519Legacy",
            userIDs: [{ name: "KubeVirt CI" }],
        })
    ).publicKey;
});

afterAll(() => fixtureApi.close());

beforeEach(async () => setupMocks({ stack: "prow-test" }));

/** The Prow part of a stack with `values` and `secrets` (keys without the namespace). */
async function composeProw(values: Record<string, string>, secrets: Record<string, string> = {}) {
    const source = {
        get: (key: string) => values[key],
        getSecret: (key: string) =>
            secrets[key] === undefined ? undefined : pulumi.secret(secrets[key]),
    };
    const settings = config.readSettings(source, "prow-test", ROOT);
    const prow = settings.composition === "ci" ? settings.prow! : settings.prow;
    try {
        return await stack.prow({
            prow,
            stackDir: settings.stackDir,
            fixtures: settings.composition === "local",
        });
    } finally {
        await settle();
    }
}

const onCluster = (r: RecordedResource, alias: string) => r.name.startsWith(`${alias}-`);
const providerNamed = (name: string) =>
    ofType("pulumi:providers:kubernetes").find((p) => p.name === name)!;
const provider = (alias: string) => providerNamed(`build-cluster-${alias}`);

describe("the local stack's Prow registration, three fixture clusters", () => {
    let outputs: Awaited<ReturnType<typeof composeProw>>;
    beforeEach(async () => (outputs = await composeProw({})));

    it("stands up a local cluster for Prow's service cluster and each build cluster, with 0600 kubeconfig files", () => {
        const clusters = ofType("pulumi-nodejs:dynamic/kwok:LocalCluster");
        expect(clusters.map((c) => [c.inputs.clusterName, c.inputs.nodes])).toEqual([
            ...ALIASES.map((a) => [`build-cluster-${a}`, { controlPlane: 3, workers: 0 }]),
            ["prow-service", { controlPlane: 1, workers: 0 }],
        ]);
        expect(clusters.every((c) => c.additionalSecretOutputs.includes("kubeconfig"))).toBe(true);
        const files = ofType("pulumi-nodejs:dynamic/files:SecretFile")
            .map((f) => f.inputs.path as string)
            .filter((f) => f.endsWith(".kubeconfig"));
        expect(files.sort()).toEqual(
            [...ALIASES.map((a) => `build-cluster-${a}`), "prow-service"]
                .map((c) => path.join(ROOT, "out", "prow-test", "kubeconfigs", `${c}.kubeconfig`))
                .sort(),
        );
    });

    it("applies each cluster's objects through a provider on its own kubeconfig, which lets a dead fixture go and updates Secrets in place", async () => {
        for (const name of [...ALIASES.map((a) => `build-cluster-${a}`), "prow-service"]) {
            const p = providerNamed(name);
            expect(isSecretInput(p.inputs.kubeconfig)).toBe(true);
            expect(p.inputs.deleteUnreachable).toBe("true");
            // A renewed token updates Prow's secret in place, never through a replacement.
            expect(p.inputs.enableSecretMutable).toBe("true");
            expect(p.inputs.renderYamlToDirectory).toBeUndefined();
        }
    });

    it("creates the jobs namespace, service account, a pod Role and its binding on every cluster, and no token Secret", () => {
        for (const alias of ALIASES) {
            const mine = recorded.filter(
                (r) => r.type.startsWith("kubernetes:") && onCluster(r, alias),
            );
            expect(mine.map((r) => r.type).sort()).toEqual([
                "kubernetes:core/v1:Namespace",
                "kubernetes:core/v1:ServiceAccount",
                "kubernetes:rbac.authorization.k8s.io/v1:Role",
                "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
            ]);
            const by = (type: string) => mine.find((r) => r.type === type)!.inputs as any;
            expect(by("kubernetes:core/v1:Namespace").metadata.name).toBe("kubevirt-prow-jobs");
            expect(by("kubernetes:core/v1:ServiceAccount").metadata).toEqual({
                name: "prow-workloads-cluster-automation",
                namespace: "kubevirt-prow-jobs",
            });
            expect(by(ROLE)).toMatchObject({
                metadata: { name: "kubevirt-prow-workloads-pods", namespace: "kubevirt-prow-jobs" },
                rules: [
                    {
                        apiGroups: [""],
                        resources: ["pods"],
                        verbs: ["create", "delete", "get", "list", "patch", "watch"],
                    },
                    { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
                    { apiGroups: [""], resources: ["events"], verbs: ["get", "list"] },
                ],
            });
            expect(by(ROLE_BINDING)).toMatchObject({
                metadata: { name: "kubevirt-prow-workloads-pods", namespace: "kubevirt-prow-jobs" },
                roleRef: { kind: "Role", name: "kubevirt-prow-workloads-pods" },
                subjects: [
                    {
                        kind: "ServiceAccount",
                        name: "prow-workloads-cluster-automation",
                        namespace: "kubevirt-prow-jobs",
                    },
                ],
            });
        }
        expect(ofType(ROLE_BINDING).map((r) => (r.inputs as any).roleRef.name)).not.toContain(
            "admin",
        );
    });

    it("mints each cluster's token through the TokenRequest API once its rights exist, as a secret", () => {
        for (const alias of ALIASES) {
            const token = named(`${alias}-token`);
            expect(token.type).toBe(TOKEN);
            expect(token.inputs).toMatchObject({
                namespace: "kubevirt-prow-jobs",
                serviceAccount: "prow-workloads-cluster-automation",
                ttlHours: 72,
            });
            expect(isSecretInput(token.inputs.kubeconfig)).toBe(true);
            expect(token.additionalSecretOutputs).toContain("token");
            expect(token.dependencies).toContain(urnOf(named(`${alias}-pod-role-binding`)));
        }
    });

    it("leaves everything to down: nothing is protected or retained", () => {
        expect(recorded.length).toBeGreaterThan(0);
        expect(recorded.filter((r) => r.protect || r.retainOnDelete).map((r) => r.name)).toEqual(
            [],
        );
    });

    it("merges every cluster into Prow's kubeconfig secret, which a real client reads", async () => {
        const prowSecret = ofType(SECRET).find(
            (r) => r.name === "prow-build-clusters-prow-kubeconfig",
        )!;
        expect(prowSecret.inputs.metadata).toEqual({
            name: "kubeconfig",
            namespace: "kubevirt-prow",
        });
        expect(isSecretInput(prowSecret.inputs.stringData)).toBe(true);
        const merged = reveal<Record<string, string>>(prowSecret.inputs.stringData).config;
        expect(await unwrap(outputs.prowKubeconfig)).toBe(merged);
        const read = readWithClientNode(merged);
        expect(read.currentContext).toBe("prow-workloads");
        for (const alias of ALIASES) {
            expectAliasRegistered(read, alias, {
                server: readWithClientNode(fixtureApi.kubeconfig()).clusters[0].server,
                token: MINTED,
                namespace: "kubevirt-prow-jobs",
            });
        }
        expect(await pulumi.isSecret(outputs.prowKubeconfig)).toBe(true);
    });

    it("puts every external cluster's kubeconfig in one secret where jobs run, with a job fragment each", () => {
        const externalSecrets = ofType(SECRET).filter((r) =>
            r.name.startsWith("kubevirtci-external-kubeconfigs"),
        );
        expect(externalSecrets.map((r) => r.name)).toEqual([
            "kubevirtci-external-kubeconfigs-prow-workloads",
        ]);
        const [external] = externalSecrets;
        // Into the jobs namespace the registration creates on that cluster, so after it.
        expect(external.dependencies).toContain(urnOf(named("prow-workloads-jobs-namespace")));
        expect(external.inputs.metadata).toEqual({
            name: "kubevirtci-external-kubeconfigs",
            namespace: "kubevirt-prow-jobs",
        });
        expect(isSecretInput(external.inputs.stringData)).toBe(true);
        expect(Object.keys(reveal<object>(external.inputs.stringData)).sort()).toEqual(
            [...ALIASES].sort(),
        );
        expect(Object.keys(outputs.kubevirtciJobFragments).sort()).toEqual([...ALIASES].sort());
        // A complete job config file: KubeVirt's periodic (kubevirt-periodics.yaml), in the pod_namespace Prow must carry.
        const fragment = yaml.load(outputs.kubevirtciJobFragments["prow-arm64-workloads"]) as any;
        const [job] = fragment.periodics;
        expect(job.cluster).toBe("prow-workloads");
        expect(job.namespace).toBe(outputs.prowPodNamespace);
        expect(outputs.prowPodNamespace).toBe("kubevirt-prow-jobs");
        expect(job.spec.containers[0].env).toContainEqual({
            name: "KUBEVIRT_PROVIDER",
            value: "external",
        });
        expect(job.spec.containers[0].securityContext).toEqual({ privileged: true });
    });

    it("encrypts each cluster's kubeconfig to a throwaway automation key, whose private half is 0600", () => {
        const files = ofType("pulumi-nodejs:dynamic/credentials:EncryptedFile");
        expect(files.map((f) => path.basename(f.inputs.path as string)).sort()).toEqual(
            ALIASES.map((a) => `${a}.kubeconfig.asc`).sort(),
        );
        for (const f of files) {
            expect(isSecretInput(f.inputs.plaintext)).toBe(true);
            expect(f.inputs.recipient).toBe("0123456789ABCDEF0123456789ABCDEF01234567");
        }
        expect(
            ofType("pulumi-nodejs:dynamic/credentials:PgpKeyPair")[0].additionalSecretOutputs,
        ).toEqual(["privateKey"]);
    });
});

describe("the local stack's Prow registration, other configurations", () => {
    it("registers a build cluster aliased prow-service apart from Prow's service cluster", async () => {
        await composeProw({ prowBuildClusters: '["prow-workloads=3","prow-service=3"]' });
        // The registration's providers (each stand-in cluster also has its own, `<name>-provider`).
        const providers = ofType("pulumi:providers:kubernetes").filter(
            (p) => !p.name.endsWith("-provider"),
        );
        expect(providers.map((p) => p.name).sort()).toEqual([
            "build-cluster-prow-service",
            "build-cluster-prow-workloads",
            "prow-service",
        ]);
        expect(
            ofType("pulumi-nodejs:dynamic/kwok:LocalCluster")
                .map((c) => c.inputs.clusterName)
                .sort(),
        ).toEqual([
            "build-cluster-prow-service",
            "build-cluster-prow-workloads",
            // kubevirtciClusters' default entries that are no longer build clusters
            "external-cluster-prow-arm64-workloads",
            "external-cluster-prow-s390x-workloads",
            "prow-service",
        ]);
        expect(ofType("kubernetes:core/v1:ServiceAccount").map((r) => r.name)).toContain(
            "prow-service-service-account",
        );
    });

    it("creates the external kubeconfigs secret on every build cluster a job runs on", async () => {
        await composeProw({
            kubevirtciJobs: '["periodic-arm=prow-arm64-workloads@prow-arm64-workloads"]',
        });
        expect(
            ofType(SECRET)
                .filter((r) => r.name.startsWith("kubevirtci-external-kubeconfigs"))
                .map((r) => r.name)
                .sort(),
        ).toEqual([
            "kubevirtci-external-kubeconfigs-prow-arm64-workloads",
            "kubevirtci-external-kubeconfigs-prow-workloads",
        ]);
    });

    it.each([
        [
            "a configured control plane of fewer than 3 nodes",
            { prowBuildClusters: '["prow-workloads=3","prow-arm64-workloads=2"]' },
            "k8s-ci-envs:prowBuildClusters[1] (cluster prow-arm64-workloads): has 2 control-plane nodes (configured); a build cluster needs an HA control plane of at least 3",
        ],
        [
            "an alias registered twice",
            { prowBuildClusters: '["prow-workloads=3","prow-workloads=5"]' },
            "k8s-ci-envs:prowBuildClusters[1] (cluster prow-workloads): the alias is registered twice",
        ],
        [
            "an alias that is not a valid context name",
            { prowBuildClusters: '["prow-workloads=3","Prow_ARM=3"]' },
            'k8s-ci-envs:prowBuildClusters[1] (cluster "Prow_ARM"): the alias is not a valid context name: must be a DNS label',
        ],
        [
            "a job naming a secret key that was never added",
            {
                kubevirtciJobs:
                    '["ok=prow-workloads@prow-workloads","s390x=kubeconfigS390X@prow-workloads"]',
            },
            'k8s-ci-envs:kubevirtciJobs[1] (job s390x): secret key "kubeconfigS390X" is not in kubevirtci-external-kubeconfigs',
        ],
        [
            "a token lifetime of 0 hours",
            { prowTokenTtlHours: "0" },
            "k8s-ci-envs:prowTokenTtlHours must be an integer from 1 to 720; got 0",
        ],
        [
            "a token lifetime over 30 days",
            { prowTokenTtlHours: "721" },
            "k8s-ci-envs:prowTokenTtlHours must be an integer from 1 to 720; got 721",
        ],
        [
            "a token lifetime that is no whole number of hours",
            { prowTokenTtlHours: "1.5" },
            'k8s-ci-envs:prowTokenTtlHours must be an integer; got "1.5"',
        ],
        [
            "a job naming a build cluster that is not registered",
            { kubevirtciJobs: '["stale=prow-workloads@ibm-prow-jobs"]' },
            'k8s-ci-envs:kubevirtciJobs[0] (job stale): cluster "ibm-prow-jobs" is not a registered build cluster',
        ],
    ])(
        "refuses %s, naming the configuration key, before any resource",
        async (_, values, message) => {
            await expect(composeProw(values)).rejects.toThrow(message);
            expect(recorded).toEqual([]);
        },
    );
});

describe("the ci stack's Prow registration", () => {
    const CI = (extra: Record<string, string> = {}) => ({
        composition: "ci",
        ciEnvironments: '["prow"]',
        gpgPublicKey: automationKey,
        gpgRecipient: "",
        ...extra,
    });
    const kubeconfigs = (overrides: Record<string, string> = {}) =>
        JSON.stringify({
            ...Object.fromEntries(
                ALIASES.map((a) => [
                    a,
                    adminKubeconfig(a, `https://${a}.unreachable.invalid:6443`),
                ]),
            ),
            ...overrides,
        });
    const secrets = (buildKubeconfigs = kubeconfigs()) => ({
        prowKubeconfigs: buildKubeconfigs,
        prowServiceKubeconfig: adminKubeconfig("prow-service"),
    });

    it("applies to the configured clusters, with tokens of the configured lifetime", async () => {
        const outputs = await composeProw(CI({ prowTokenTtlHours: "24" }), secrets());
        for (const alias of ALIASES) {
            expect(isSecretInput(provider(alias).inputs.kubeconfig)).toBe(true);
            expect(provider(alias).inputs.renderYamlToDirectory).toBeUndefined();
        }
        const read = readWithClientNode((await unwrap(outputs.prowKubeconfig)) as string);
        expect(read.users.map((u) => u.token)).toEqual(ALIASES.map(() => MINTED));
        expect(ofType(TOKEN).map((t) => t.inputs.ttlHours)).toEqual(ALIASES.map(() => 24));
        expect(await unwrap(pulumi.output(outputs.prowTokenExpiresAt))).toEqual(
            Object.fromEntries(ALIASES.map((a) => [a, "2030-01-02T00:00:00.000Z"])),
        );
        expect(read.clusters.map((c) => c.server)).toEqual(
            ALIASES.map((a) => `https://${a}.unreachable.invalid:6443`),
        );
    });

    it("retains on down what Prow depends on, protects Prow's kubeconfig secret, and nothing else", async () => {
        await composeProw(CI(), secrets());
        const retained = recorded.filter((r) => r.retainOnDelete).map((r) => r.name);
        expect(retained.sort()).toEqual(
            [
                ...ALIASES.flatMap((a) => [
                    `${a}-jobs-namespace`,
                    `${a}-service-account`,
                    `${a}-pod-role`,
                    `${a}-pod-role-binding`,
                ]),
                "kubevirtci-external-kubeconfigs-prow-workloads",
            ].sort(),
        );
        const guarded = recorded.filter((r) => r.protect).map((r) => [r.name, r.inputs.metadata]);
        expect(guarded).toEqual([
            [
                "prow-build-clusters-prow-kubeconfig",
                { name: "kubeconfig", namespace: "kubevirt-prow" },
            ],
        ]);
    });

    it("refuses a kubeconfig that would hand Prow insecure-skip-tls-verify, naming the cluster and the key, before any resource", async () => {
        // Reachable, with 2 control-plane nodes: counted, it would add an HA refusal.
        const cluster = await startFakeCluster([
            { name: "cp-0", roles: ["control-plane"] },
            { name: "cp-1", roles: ["control-plane"] },
        ]);
        try {
            const insecure = yaml.load(cluster.kubeconfig()) as any;
            delete insecure.clusters[0].cluster["certificate-authority-data"];
            insecure.clusters[0].cluster["insecure-skip-tls-verify"] = true;
            const attempt = composeProw(
                CI(),
                secrets(kubeconfigs({ "prow-s390x-workloads": yaml.dump(insecure) })),
            );
            await expect(attempt).rejects.toThrow(
                "k8s-ci-envs:prowKubeconfigs.prow-s390x-workloads cluster prow-s390x-workloads: the kubeconfig sets insecure-skip-tls-verify, which Prow's kubeconfig must not carry",
            );
            // Its admin credentials went to no server it could not verify.
            await expect(attempt).rejects.not.toThrow(/counted from its nodes' labels/);
            expect(recorded).toEqual([]);
        } finally {
            await cluster.close();
        }
    });

    it("refuses a malformed kubeconfig, naming the cluster and the key, before any resource", async () => {
        await expect(
            composeProw(CI(), secrets(kubeconfigs({ "prow-arm64-workloads": "kind: Config\n" }))),
        ).rejects.toThrow(
            `k8s-ci-envs:prowKubeconfigs.prow-arm64-workloads cluster prow-arm64-workloads: the kubeconfig's current-context "" names no context`,
        );
        expect(recorded).toEqual([]);
    });

    it("refuses a malformed kubeconfig of Prow's service cluster, naming its key", async () => {
        const service = adminKubeconfig("prow-service", "http://prow-service.example.test");
        await expect(
            composeProw(CI(), { ...secrets(), prowServiceKubeconfig: service }),
        ).rejects.toThrow(
            `k8s-ci-envs:prowServiceKubeconfig Prow's service cluster: the kubeconfig's cluster "prow-service" has no https server`,
        );
        expect(recorded).toEqual([]);
    });

    it("lets Prow's service kubeconfig, which only Pulumi reads, use a credential plugin", async () => {
        const service = (yaml.load(adminKubeconfig("prow-service")) as any) ?? {};
        service.users[0].user = {
            exec: {
                apiVersion: "client.authentication.k8s.io/v1",
                command: "gke-gcloud-auth-plugin",
            },
        };
        await composeProw(CI(), { ...secrets(), prowServiceKubeconfig: yaml.dump(service) });
        expect(ofType(SECRET).length).toBeGreaterThan(0);
    });

    it("counts each configured cluster's control plane in a resource, on which everything on that cluster waits", async () => {
        await composeProw(CI(), secrets());
        const checks = ofType("pulumi-nodejs:dynamic/prow:HaControlPlane");
        expect(checks.map((c) => [c.name, c.inputs.field, c.inputs.justMade])).toEqual(
            ALIASES.map((a, i) => [
                `build-cluster-${a}-ha`,
                `k8s-ci-envs:prowBuildClusters[${i}]`,
                false,
            ]),
        );
        expect(checks.every((c) => isSecretInput(c.inputs.kubeconfig))).toBe(true);
        for (const alias of ALIASES) {
            const check = checks.find((c) => c.name === `build-cluster-${alias}-ha`)!;
            expect(provider(alias).dependencies).toContain(urnOf(check));
        }
    });

    it("refuses a configured cluster without a kubeconfig, and a key that is not the recipient", async () => {
        const missing = JSON.stringify({ "prow-workloads": adminKubeconfig("prow-workloads") });
        await expect(
            composeProw({ ...CI(), gpgRecipient: "99F7C0D2E1BB8025" }, secrets(missing)),
        ).rejects.toThrow(
            /k8s-ci-envs:prowKubeconfigs\.prow-arm64-workloads is required \(cluster prow-arm64-workloads\)[\s\S]*k8s-ci-envs:gpgPublicKey is key [0-9A-F]{40}, not the configured recipient 99F7C0D2E1BB8025/,
        );
        expect(recorded).toEqual([]);
    });

    it("refuses a ci stack without Prow's service cluster, kubeconfigs or automation key", () => {
        expect(() =>
            config.readSettings(
                {
                    get: (k) => ({ composition: "ci", ciEnvironments: '["prow"]' })[k],
                    getSecret: () => undefined,
                },
                "ci-x",
                ROOT,
            ),
        ).toThrow(
            /k8s-ci-envs:prowServiceKubeconfig is required[\s\S]*k8s-ci-envs:prowKubeconfigs is required[\s\S]*k8s-ci-envs:gpgPublicKey is required/,
        );
    });
});
