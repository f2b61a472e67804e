import * as path from "path";
import * as yaml from "js-yaml";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
    BuildClusterRegistration,
    EncryptedKubeconfigs,
    KubevirtciExternalProvider,
} from "../components/prow";
import { GeneratedPassword } from "../providers/credentials/generated";
import { PgpKeyPair } from "../providers/credentials/pgp";
import { SecretFile } from "../providers/files/secret-file";
import { StackFolder } from "../providers/files/stack-folder";
import { ProwConfig } from "./config";
import { preflight } from "./prow-preflight";

/**
 * The resources of rendering Kubernetes providers, which `refresh` must skip: there is no
 * cluster to read them back from (pulumi-kubernetes fails reading them).
 */
export const RENDERED_MANIFESTS = "**$kubernetes:**";

export interface ProwStackArgs {
    prow: ProwConfig;
    stackDir: string;
    /** Render manifests (local) instead of applying them to the configured clusters (ci). */
    rendered: boolean;
}

/**
 * The Kubernetes providers' names, which also name their folders of rendered manifests. The
 * prefix keeps any alias (a DNS label) from taking the service cluster's name.
 */
const SERVICE_CLUSTER_PROVIDER = "prow-service";
const buildClusterProvider = (alias: string) => `build-cluster-${alias}`;

/** A fixture cluster's admin kubeconfig (a reserved, unreachable name; a generated token). */
export function fixtureKubeconfig(alias: string, token: string): string {
    return yaml.dump({
        apiVersion: "v1",
        kind: "Config",
        "current-context": alias,
        clusters: [{ name: alias, cluster: { server: `https://${alias}.fixture.invalid:6443` } }],
        contexts: [{ name: alias, context: { cluster: alias, user: `${alias}-admin` } }],
        users: [{ name: `${alias}-admin`, user: { token } }],
    });
}

/**
 * KubeVirt's Prow wiring: build clusters registered into Prow's kubeconfig secret, KubeVirtCI's
 * external provider, and every kubeconfig encrypted to the automation key. Every configured
 * kubeconfig is checked (and each reachable cluster's control plane counted) before any
 * resource exists; without kubeconfigs, the local stack registers fixture clusters.
 */
export async function prow(args: ProwStackArgs) {
    const p = args.prow;
    const dir = path.join(args.stackDir, "prow");
    const { configured, externalConfigured } = await preflight(args);

    // Rendered manifests go to folders pulumi-kubernetes leaves behind: this folder removes them.
    const folder = args.rendered
        ? new StackFolder("prow-rendered", {
              path: path.join(dir, "rendered"),
              stackDir: args.stackDir,
          })
        : undefined;
    const provider = (name: string, kubeconfig: pulumi.Input<string> | undefined) =>
        args.rendered
            ? new k8s.Provider(
                  name,
                  { renderYamlToDirectory: path.join(dir, "rendered", name) },
                  { dependsOn: folder },
              )
            : new k8s.Provider(name, { kubeconfig: pulumi.secret(kubeconfig!) });

    const adminKubeconfig = (alias: string): pulumi.Output<string> =>
        configured[alias] !== undefined
            ? pulumi.secret(configured[alias])
            : new GeneratedPassword(`${alias}-fixture-token`, { length: 40 }).value.apply((token) =>
                  fixtureKubeconfig(alias, token),
              );
    const admin = Object.fromEntries(
        p.buildClusters.map((c) => [c.alias, adminKubeconfig(c.alias)]),
    );
    const clusters = p.buildClusters.map((c) => ({
        ...c,
        kubeconfig: admin[c.alias],
        provider: provider(buildClusterProvider(c.alias), admin[c.alias]),
    }));
    const registration = new BuildClusterRegistration("prow-build-clusters", {
        clusters,
        settings: p,
        prowProvider: provider(SERVICE_CLUSTER_PROVIDER, p.serviceKubeconfig),
        rendered: args.rendered,
    });

    const external = Object.fromEntries(
        p.externalClusters.map((name) => [
            name,
            externalConfigured[name] !== undefined
                ? pulumi.secret(externalConfigured[name])
                : (admin[name] ?? adminKubeconfig(name)),
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
    });

    const key = automationKey(p, dir, args.stackDir);
    const encrypted = new EncryptedKubeconfigs("encrypted-kubeconfigs", {
        kubeconfigs: { ...admin, ...external },
        recipientKey: key.publicKey,
        recipient: key.recipient,
        dir: path.join(dir, "encrypted"),
        stackDir: args.stackDir,
    });

    return {
        prowKubeconfig: registration.kubeconfig,
        prowKubeconfigSecret: `${p.prowNamespace}/${p.kubeconfigSecret}:${p.kubeconfigSecretKey}`,
        // The value Prow's config must carry: plank runs job pods there on every build cluster.
        prowPodNamespace: p.jobsNamespace,
        kubevirtciJobFragments: externalProvider.jobFragments,
        encryptedKubeconfigs: encrypted.files,
        ...(key.privateKeyFile ? { automationPrivateKeyFile: key.privateKeyFile } : {}),
        ...(args.rendered ? { renderedManifests: path.join(dir, "rendered") } : {}),
    };
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
