import * as path from "path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
    BuildClusterRegistration,
    EncryptedKubeconfigs,
    HaControlPlane,
    KubevirtciExternalProvider,
} from "../components/prow";
import { LocalKubernetes } from "../components/local";
import { PgpKeyPair } from "../providers/credentials/pgp";
import { SecretFile } from "../providers/files/secret-file";
import { ProwConfig, PROJECT } from "./config";
import { preflight } from "./prow-preflight";

export interface ProwStackArgs {
    prow: ProwConfig;
    stackDir: string;
    /**
     * Stand up a local cluster (stacks/local-clusters.ts) for Prow's service cluster and each
     * build or external cluster whose kubeconfig is not configured (local); else every
     * kubeconfig is required (ci).
     */
    fixtures: boolean;
}

/** The Kubernetes providers' names. The prefix keeps any alias from taking the service cluster's. */
const SERVICE_CLUSTER_PROVIDER = "prow-service";
const buildClusterProvider = (alias: string) => `build-cluster-${alias}`;

/**
 * A Kubernetes provider on a kubeconfig. A fixture cluster's objects leave the state with the
 * cluster when it is gone (refresh, or a replacement of the dead cluster), instead of failing.
 * Secrets are updated in place (pulumi-kubernetes replaces them otherwise): a renewed token
 * then never leaves Prow without its kubeconfig secret, which, protected in ci, could not be
 * replaced at all.
 */
export function kubernetesProvider(
    name: string,
    kubeconfig: pulumi.Input<string>,
    fixture: boolean,
    opts?: pulumi.CustomResourceOptions,
) {
    return new k8s.Provider(
        name,
        {
            kubeconfig: pulumi.secret(kubeconfig),
            enableSecretMutable: true,
            ...(fixture ? { deleteUnreachable: true } : {}),
        },
        opts,
    );
}

/** The local stack's stand-ins for Prow's clusters, one LocalKubernetes per name. */
class FixtureClusters {
    private readonly clusters: Record<string, LocalKubernetes> = {};

    constructor(private readonly stackDir: string) {}

    /** The admin kubeconfig of the fixture `name`, with `controlPlane` control-plane nodes. */
    cluster(name: string, controlPlane: number): pulumi.Output<string> {
        this.clusters[name] ??= new LocalKubernetes(name, {
            stackDir: this.stackDir,
            nodes: { controlPlane, workers: 0 },
        });
        return this.clusters[name].kubeconfig;
    }

    kubeconfigFiles(): Record<string, pulumi.Output<string>> {
        return Object.fromEntries(
            Object.entries(this.clusters).map(([name, c]) => [name, c.kubeconfigFile]),
        );
    }
}

/**
 * KubeVirt's Prow wiring: build clusters registered into Prow's kubeconfig secret, KubeVirtCI's
 * external provider, and every kubeconfig encrypted to the automation key. Every configured
 * kubeconfig is checked (and each reachable cluster's control plane counted) before any
 * resource exists; without kubeconfigs, the local stack registers fixture clusters.
 */
export async function prow(args: ProwStackArgs) {
    return (await prowWithServiceCluster(args)).outputs;
}

/**
 * The same, with a Kubernetes provider on Prow's service cluster (its stand-in in local), where
 * other environments put what Prow's side holds (vmc: the CI secret).
 */
export async function prowWithServiceCluster(args: ProwStackArgs) {
    const p = args.prow;
    const dir = path.join(args.stackDir, "prow");
    const { configured, externalConfigured } = await preflight(args);

    const fixtures = args.fixtures ? new FixtureClusters(args.stackDir) : undefined;

    const admin = Object.fromEntries(
        p.buildClusters.map((c) => [
            c.alias,
            configured[c.alias] !== undefined
                ? pulumi.secret(configured[c.alias])
                : fixtures!.cluster(buildClusterProvider(c.alias), c.controlPlaneNodes),
        ]),
    );
    // KubeVirt's HA rule, counted on each build cluster: a fixture's before anything is put on
    // it (its kubeconfig passes through), a configured one's at check, before what goes onto it.
    const haChecks = p.buildClusters.map(
        (c, i) =>
            new HaControlPlane(`${buildClusterProvider(c.alias)}-ha`, {
                field: `${PROJECT}:prowBuildClusters[${i}]`,
                alias: c.alias,
                kubeconfig: admin[c.alias],
                justMade: configured[c.alias] === undefined,
            }),
    );
    const clusters = p.buildClusters.map((c, i) => {
        const kubeconfig =
            configured[c.alias] !== undefined ? admin[c.alias] : haChecks[i].kubeconfig;
        return {
            ...c,
            kubeconfig,
            // Nothing goes onto the cluster before its count: the provider waits for it.
            provider: kubernetesProvider(buildClusterProvider(c.alias), kubeconfig, args.fixtures, {
                dependsOn: haChecks[i],
            }),
        };
    });
    const serviceKubeconfig = p.serviceKubeconfig ?? fixtures!.cluster(SERVICE_CLUSTER_PROVIDER, 1);
    const prowProvider = kubernetesProvider(
        SERVICE_CLUSTER_PROVIDER,
        serviceKubeconfig,
        args.fixtures,
    );
    // A stand-in service cluster has no Prow deployed: its namespace is made here.
    const prowNamespace =
        p.serviceKubeconfig === undefined
            ? new k8s.core.v1.Namespace(
                  `${SERVICE_CLUSTER_PROVIDER}-prow-namespace`,
                  { metadata: { name: p.prowNamespace } },
                  { provider: prowProvider },
              )
            : undefined;
    // Prow's real clusters outlive a ci stack; the local stack's stand-ins are its own.
    const sharedObjects = args.fixtures ? "delete" : "retain";
    const registration = new BuildClusterRegistration("prow-build-clusters", {
        clusters,
        settings: p,
        prowProvider,
        prowNamespace,
        sharedObjects,
    });

    const external = Object.fromEntries(
        p.externalClusters.map((name) => [
            name,
            externalConfigured[name] !== undefined
                ? pulumi.secret(externalConfigured[name])
                : (admin[name] ?? fixtures!.cluster(`external-cluster-${name}`, 1)),
        ]),
    );
    const externalProvider = new KubevirtciExternalProvider("kubevirtci-external", {
        clusters: Object.entries(external).map(([name, kubeconfig]) => ({ name, kubeconfig })),
        secretName: p.externalSecret,
        jobCluster: p.defaultCluster,
        buildClusters: Object.fromEntries(
            clusters.map((c) => [
                c.alias,
                { namespace: registration.jobsNamespaces[c.alias], provider: c.provider },
            ]),
        ),
        jobs: p.jobs,
        image: p.image,
        job: p.job,
        podNamespace: p.jobsNamespace,
        sharedObjects,
    });

    const key = automationKey(p, dir, args.stackDir);
    const encrypted = new EncryptedKubeconfigs("encrypted-kubeconfigs", {
        kubeconfigs: { ...admin, ...external },
        recipientKey: key.publicKey,
        recipient: key.recipient,
        dir: path.join(dir, "encrypted"),
        stackDir: args.stackDir,
    });

    const outputs = {
        prowKubeconfig: registration.kubeconfig,
        prowKubeconfigSecret: `${p.prowNamespace}/${p.kubeconfigSecret}:${p.kubeconfigSecretKey}`,
        // The value Prow's config must carry: plank runs job pods there on every build cluster.
        prowPodNamespace: p.jobsNamespace,
        // When each build cluster's token expires; `up` renews it once half of its life is gone.
        prowTokenExpiresAt: Object.fromEntries(
            Object.entries(registration.tokens).map(([alias, t]) => [alias, t.expiresAt]),
        ),
        kubevirtciJobFragments: externalProvider.jobFragments,
        encryptedKubeconfigs: encrypted.files,
        ...(key.privateKeyFile ? { automationPrivateKeyFile: key.privateKeyFile } : {}),
        ...(fixtures ? { prowClusterKubeconfigFiles: fixtures.kubeconfigFiles() } : {}),
    };
    return { outputs, serviceProvider: prowProvider };
}

/**
 * The automation key kubeconfigs are encrypted to: the configured one (ci), or a throwaway key
 * whose private half is written 0600 so that a local run can decrypt with gpg.
 */
function automationKey(p: ProwConfig, dir: string, stackDir: string) {
    if (p.gpgPublicKey !== "") {
        return {
            publicKey: pulumi.output(p.gpgPublicKey),
            recipient: pulumi.output(p.gpgRecipient),
        };
    }
    const pair = new PgpKeyPair("prow-automation-key", {
        name: "k8s-ci-envs local automation",
        email: "automation@k8s-ci-envs.invalid",
    });
    const privateKeyFile = new SecretFile("prow-automation-private-key", {
        path: path.join(dir, "automation-private-key.asc"),
        content: pair.privateKey,
        stackDir,
    }).path;
    return { publicKey: pair.publicKey, recipient: pair.fingerprint, privateKeyFile };
}
