import * as pulumi from "@pulumi/pulumi";
import { checkHaControlPlane, countControlPlaneNodes, parseKubeconfig } from "../components/prow";
import { readRecipient } from "../providers/credentials/pgp";
import { Issue } from "../providers/validation";
import { configError } from "./config";
import type { ProwStackArgs } from "./prow";

/** The value of a known Output, at preview as at update (configuration is always known). */
function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}

/** A kubeconfig map from a secret key: `{alias: kubeconfig}`, each checked, naming cluster and key. */
async function readKubeconfigs(
    key: string,
    secret: pulumi.Output<string> | undefined,
    issues: Issue[],
): Promise<Record<string, string>> {
    if (secret === undefined) {
        return {};
    }
    const raw = await valueOf(secret);
    let map: unknown;
    try {
        map = JSON.parse(raw);
    } catch {
        map = undefined;
    }
    if (
        typeof map !== "object" ||
        map === null ||
        Object.values(map).some((v) => typeof v !== "string")
    ) {
        issues.push({
            field: key,
            message: "must be an object of kubeconfigs by cluster (set with --secret --path)",
        });
        return {};
    }
    const kubeconfigs = map as Record<string, string>;
    for (const [alias, text] of Object.entries(kubeconfigs)) {
        try {
            parseKubeconfig(text, `cluster ${alias}`);
        } catch (err) {
            issues.push({ field: `${key}.${alias}`, message: (err as Error).message });
        }
    }
    return kubeconfigs;
}

/**
 * Checks what configuration alone cannot, because it is secret or remote, before any resource
 * exists: every kubeconfig's form, each reachable build cluster's control plane (counted from
 * its nodes' labels), and the automation key. Returns the configured kubeconfigs by alias.
 */
export async function preflight(args: ProwStackArgs) {
    const p = args.prow;
    const issues: Issue[] = [];
    const configured = await readKubeconfigs("prowKubeconfigs", p.buildKubeconfigs, issues);
    const externalConfigured = await readKubeconfigs(
        "kubevirtciKubeconfigs",
        p.externalKubeconfigs,
        issues,
    );
    await Promise.all(
        p.buildClusters.map(async (c, i) => {
            const text = configured[c.alias];
            if (text === undefined) {
                if (!args.rendered) {
                    issues.push({
                        field: `prowKubeconfigs.${c.alias}`,
                        message: `is required (cluster ${c.alias})`,
                    });
                }
                return;
            }
            const counted = await countControlPlaneNodes(text, `cluster ${c.alias}`).catch(
                () => undefined,
            );
            if (counted !== undefined) {
                issues.push(
                    ...checkHaControlPlane(
                        `prowBuildClusters[${i}]`,
                        c.alias,
                        counted,
                        "counted from its nodes' labels",
                    ),
                );
            }
        }),
    );
    for (const name of p.externalClusters) {
        if (
            !args.rendered &&
            externalConfigured[name] === undefined &&
            configured[name] === undefined
        ) {
            issues.push({
                field: `kubevirtciKubeconfigs.${name}`,
                message: `is required (cluster ${name})`,
            });
        }
    }
    if (p.gpgPublicKey !== "") {
        await readRecipient(p.gpgPublicKey, p.gpgRecipient).catch((err) =>
            issues.push({ field: "gpgPublicKey", message: (err as Error).message }),
        );
    }
    if (issues.length > 0) {
        throw configError(issues);
    }

    return { configured, externalConfigured };
}
