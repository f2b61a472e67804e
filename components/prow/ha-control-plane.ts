import * as pulumi from "@pulumi/pulumi";
import { hasUnknowns } from "../../providers/dynamic";
import { formatIssues, Issue } from "../../providers/validation";
import { ControlPlaneCount, countControlPlaneNodes } from "./control-plane";
import { checkHaControlPlane, MIN_CONTROL_PLANE_NODES } from "./settings";

export interface HaControlPlaneInputs {
    /** The configuration key the rule is named by, e.g. `k8s-ci-envs:prowBuildClusters[0]`. */
    field: string;
    alias: string;
    /** An admin kubeconfig (a secret). */
    kubeconfig: string;
    /** A cluster the stack has just made: it must answer, and is asked again while it starts. */
    justMade: boolean;
    retryDelayMs: number;
    /** What was counted, or exactly what could not be and why: shown by preview. */
    checked?: string;
}

const UNANSWERED_RETRIES = 5;
const COUNTED = "counted from its nodes' labels";

const countOf = (i: HaControlPlaneInputs) =>
    countControlPlaneNodes(i.kubeconfig, `cluster ${i.alias}`);

/** What the count says: the rule's issues, and the line preview shows. */
function judge(i: HaControlPlaneInputs, counted: ControlPlaneCount, tries: number) {
    if (counted !== undefined && "nodes" in counted) {
        const issues = checkHaControlPlane(i.field, i.alias, counted.nodes, COUNTED);
        return { issues, checked: `${counted.nodes} control-plane nodes, ${COUNTED}` };
    }
    const why =
        counted === undefined
            ? `cluster ${i.alias} did not answer when asked for its nodes (${tries} ${tries === 1 ? "try" : "tries"})`
            : `cluster ${i.alias} answered ${counted.status} when asked for its nodes`;
    const issues: Issue[] = i.justMade ? [{ field: i.field, message: why }] : [];
    return {
        issues,
        checked: `not counted: ${why}; the HA rule (at least ${MIN_CONTROL_PLANE_NODES} control-plane nodes) was checked from configuration only`,
    };
}

/** Counts a cluster just made, asking again while its API server does not answer yet. */
async function countJustMade(i: HaControlPlaneInputs) {
    let counted = await countOf(i);
    let tries = 1;
    for (; counted === undefined && tries <= UNANSWERED_RETRIES; tries++) {
        await new Promise((resolve) => setTimeout(resolve, i.retryDelayMs));
        counted = await countOf(i);
    }
    return judge(i, counted, tries);
}

const failuresOf = (issues: Issue[]) =>
    issues.map((issue) => ({ property: "kubeconfig", reason: `${issue.field} ${issue.message}` }));

/**
 * KubeVirt's HA rule for a build cluster (docs/how-to-add-a-prow-cluster.md), counted on the
 * cluster: `check` counts a reachable cluster at preview and update, so that a cluster with too
 * few control-plane nodes is refused before anything goes onto it, and an unreachable one is
 * said to be checked from configuration only; `create` counts a cluster the stack has just made
 * (whose kubeconfig preview does not know), asking again while it starts.
 */
export const haControlPlaneProvider: pulumi.dynamic.ResourceProvider = {
    async check(_olds: unknown, news: HaControlPlaneInputs) {
        if (hasUnknowns(news)) {
            return { inputs: { ...news, checked: "counted once the cluster exists" } };
        }
        const { issues, checked } = judge({ ...news, justMade: false }, await countOf(news), 1);
        if (checked.startsWith("not counted")) {
            void pulumi.log.warn(`${news.field}: ${checked}`);
        }
        return { inputs: { ...news, checked }, failures: failuresOf(issues) };
    },

    async diff(_id: string, olds: HaControlPlaneInputs, news: HaControlPlaneInputs) {
        const changes = olds.kubeconfig !== news.kubeconfig || olds.field !== news.field;
        return { changes };
    },

    async create(inputs: HaControlPlaneInputs) {
        return { id: inputs.alias, outs: await countedOrRefused(inputs) };
    },

    async update(_id: string, _olds: HaControlPlaneInputs, news: HaControlPlaneInputs) {
        return { outs: await countedOrRefused(news) };
    },

    async delete() {},
};

async function countedOrRefused(inputs: HaControlPlaneInputs): Promise<HaControlPlaneInputs> {
    const { issues, checked } = inputs.justMade
        ? await countJustMade(inputs)
        : judge(inputs, await countOf(inputs), 1);
    if (issues.length > 0) {
        throw new Error(`invalid configuration:\n${formatIssues(issues, (f) => f)}`);
    }
    return { ...inputs, checked };
}

export interface HaControlPlaneArgs {
    field: string;
    alias: string;
    kubeconfig: pulumi.Input<string>;
    justMade: boolean;
    retryDelayMs?: number;
}

/**
 * The HA rule on one build cluster, as a resource: nothing but what depends on it waits for
 * the count, and the kubeconfig stays a secret. `kubeconfig` is passed on once the rule holds.
 */
export class HaControlPlane extends pulumi.dynamic.Resource {
    public readonly kubeconfig!: pulumi.Output<string>;
    public readonly checked!: pulumi.Output<string>;

    constructor(name: string, args: HaControlPlaneArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            haControlPlaneProvider,
            name,
            {
                ...args,
                kubeconfig: pulumi.secret(args.kubeconfig),
                retryDelayMs: args.retryDelayMs ?? 5_000,
                checked: undefined,
            },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["kubeconfig"] }),
            "prow",
            "HaControlPlane",
        );
    }
}
