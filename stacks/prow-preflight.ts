import * as pulumi from "@pulumi/pulumi";
import { checkProwTrust, parseKubeconfig } from "../components/prow";
import { readRecipient } from "../providers/credentials/pgp";
import { Issue } from "../providers/validation";
import { configError } from "./config";
import type { ProwStackArgs } from "./prow";

/** The value of a known Output, at preview as at update (configuration is always known). */
function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}

/**
 * A kubeconfig map from a secret key: `{alias: kubeconfig}`, each checked, naming cluster and
 * key; `forProw`, those whose cluster goes into Prow's kubeconfig, must also verify TLS.
 */
async function readKubeconfigs(
    key: string,
    secret: pulumi.Output<string> | undefined,
    issues: Issue[],
    forProw = false,
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
        checkKubeconfig(`${key}.${alias}`, text, `cluster ${alias}`, issues, { forProw });
    }
    return kubeconfigs;
}

function checkKubeconfig(
    field: string,
    text: string,
    owner: string,
    issues: Issue[],
    { selfContained = true, forProw = false } = {},
): void {
    try {
        const { endpoint } = parseKubeconfig(text, owner, { selfContained });
        if (forProw) {
            checkProwTrust(endpoint, owner);
        }
    } catch (err) {
        issues.push({ field, message: (err as Error).message });
    }
}

/**
 * Checks what configuration alone cannot, because it is secret, before any resource exists:
 * every kubeconfig's form and the automation key. Returns the configured kubeconfigs by alias.
 * The build clusters' control planes are counted by their HaControlPlane resources
 * (components/prow), on the clusters, not here.
 */
export async function preflight(args: ProwStackArgs) {
    const p = args.prow;
    const issues: Issue[] = [];
    const configured = await readKubeconfigs("prowKubeconfigs", p.buildKubeconfigs, issues, true);
    const externalConfigured = await readKubeconfigs(
        "kubevirtciKubeconfigs",
        p.externalKubeconfigs,
        issues,
    );
    if (!args.fixtures) {
        for (const c of p.buildClusters.filter((c) => configured[c.alias] === undefined)) {
            issues.push({
                field: `prowKubeconfigs.${c.alias}`,
                message: `is required (cluster ${c.alias})`,
            });
        }
    }
    if (p.serviceKubeconfig !== undefined) {
        const text = await valueOf(p.serviceKubeconfig);
        // Only Pulumi reads it, on the runner: credential plugins and files work there.
        checkKubeconfig("prowServiceKubeconfig", text, "Prow's service cluster", issues, {
            selfContained: false,
        });
    }
    for (const name of p.externalClusters) {
        if (
            !args.fixtures &&
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
