import * as pulumi from "@pulumi/pulumi";
import {
    checkHaControlPlane,
    checkProwTrust,
    countControlPlaneNodes,
    MIN_CONTROL_PLANE_NODES,
    parseKubeconfig,
} from "../components/prow";
import { readRecipient } from "../providers/credentials/pgp";
import { Issue } from "../providers/validation";
import { configError, PROJECT } from "./config";
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
 * The HA rule from the cluster's nodes when it answers; when it answers but will not list them,
 * a warning that only the configured count was checked. An unreachable cluster is left to Prow.
 */
async function checkCountedControlPlane(
    field: string,
    alias: string,
    kubeconfig: string,
    issues: Issue[],
): Promise<void> {
    const counted = await countControlPlaneNodes(kubeconfig, `cluster ${alias}`).catch(
        () => undefined,
    );
    if (counted !== undefined && "nodes" in counted) {
        issues.push(
            ...checkHaControlPlane(field, alias, counted.nodes, "counted from its nodes' labels"),
        );
    } else if (counted !== undefined) {
        void pulumi.log.warn(
            `cluster ${alias} (${PROJECT}:${field}) answered ${counted.status} when asked for its nodes: the HA rule (at least ${MIN_CONTROL_PLANE_NODES} control-plane nodes) was checked from configuration only`,
        );
    }
}

const UNANSWERED_RETRIES = 5;

/**
 * The HA rule on a cluster this stack has just made, counted from its nodes: returns the
 * kubeconfig once the cluster passes, so that nothing goes onto a cluster that does not.
 */
export async function requireHaControlPlane(
    field: string,
    alias: string,
    kubeconfig: string,
    retryDelayMs = 5_000,
): Promise<string> {
    let counted = await countControlPlaneNodes(kubeconfig, `cluster ${alias}`);
    // A cluster just made may not answer yet on a loaded machine: ask again before giving up.
    for (let retry = 1; counted === undefined && retry <= UNANSWERED_RETRIES; retry++) {
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
        counted = await countControlPlaneNodes(kubeconfig, `cluster ${alias}`);
    }
    const issues =
        counted !== undefined && "nodes" in counted
            ? checkHaControlPlane(field, alias, counted.nodes, "counted from its nodes' labels")
            : [
                  {
                      field,
                      message:
                          counted === undefined
                              ? `cluster ${alias} did not answer when asked for its nodes (${UNANSWERED_RETRIES + 1} tries)`
                              : `cluster ${alias} answered ${counted.status} when asked for its nodes`,
                  },
              ];
    if (issues.length > 0) {
        throw configError(issues);
    }
    return kubeconfig;
}

/**
 * Checks what configuration alone cannot, because it is secret or remote, before any resource
 * exists: every kubeconfig's form, each reachable build cluster's control plane (counted from
 * its nodes' labels), and the automation key. Returns the configured kubeconfigs by alias.
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
    await Promise.all(
        p.buildClusters.map(async (c, i) => {
            const text = configured[c.alias];
            if (text === undefined) {
                if (!args.fixtures) {
                    issues.push({
                        field: `prowKubeconfigs.${c.alias}`,
                        message: `is required (cluster ${c.alias})`,
                    });
                }
                return;
            }
            // A refused kubeconfig is not used: its credentials go to no server it cannot verify.
            if (issues.some((issue) => issue.field === `prowKubeconfigs.${c.alias}`)) {
                return;
            }
            await checkCountedControlPlane(`prowBuildClusters[${i}]`, c.alias, text, issues);
        }),
    );
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
