import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Issue } from "../../providers/validation";
import { INNER_SECRET, OUTER_SECRET, OUTER_SECRET_KEYS, OuterSecretValues } from "./names";
import { refuseIssues } from "../common/refuse-issues";

export interface CiSecretTransferArgs {
    /**
     * The Prow-side cluster holding the outer secret: its provider and the secret's namespace.
     * Exclusive with `values`.
     */
    prow?: { provider: k8s.Provider; namespace: pulumi.Input<string> };
    /** The outer secret's nine values (secrets), from configuration. Exclusive with `prow`. */
    values?: pulumi.Input<OuterSecretValues>;
    /** The bootstrap cluster, where the inner secret goes. */
    bootstrapProvider: k8s.Provider;
    /** Its kubeconfig (a secret): the inner secret's `bootstrap-kubeconfig`. */
    bootstrapKubeconfig: pulumi.Input<string>;
    /** CAPV's provider components (the inner secret's `provider-component-spec`). */
    providerComponentSpec: pulumi.Input<string>;
    /** The inner secret's namespace. Defaults to `default`, as CAPV's bootstrap_job.template. */
    namespace?: pulumi.Input<string>;
    /** Labels of the run, on the inner secret. */
    labels?: Record<string, string>;
    /** Resources the outer secret's read waits for (the local stack's secret). */
    readAfter?: pulumi.Resource[];
}

/** Every rule the args break: exactly one source of the outer secret. */
export function validateCiSecretTransferArgs(
    args: Pick<CiSecretTransferArgs, "prow" | "values">,
): Issue[] {
    if ((args.prow === undefined) === (args.values === undefined)) {
        return [{ field: "prow", message: "or values: exactly one must be given" }];
    }
    return [];
}

/** The nine values, checked whole: a missing one is named. */
export function checkOuterValues(values: Partial<Record<string, string>>): OuterSecretValues {
    const missing = OUTER_SECRET_KEYS.filter((k) => typeof values[k] !== "string");
    if (missing.length > 0) {
        throw new Error(`the outer secret ${OUTER_SECRET} lacks ${missing.join(", ")}`);
    }
    return values as OuterSecretValues;
}

const base64 = (text: string) => Buffer.from(text).toString("base64");

/**
 * CAPV's secret transfer (scripts/e2e): reads the outer secret `clusterapi-provider-vsphere-ci-prow` from
 * the Prow-side cluster (or takes its values from configuration), and creates the inner secret
 * `clusterapi-provider-vsphere-ci-secret` on the bootstrap cluster. Every value stays a secret.
 */
export class CiSecretTransfer extends pulumi.ComponentResource {
    /** The outer secret's values (a secret). */
    public readonly outer: pulumi.Output<OuterSecretValues>;
    public readonly inner: k8s.core.v1.Secret;
    public readonly secretName: pulumi.Output<string>;

    constructor(name: string, args: CiSecretTransferArgs, opts?: pulumi.ComponentResourceOptions) {
        super("k8sci:vmc:CiSecretTransfer", name, {}, opts);
        const issues = validateCiSecretTransferArgs(args);
        refuseIssues(this, name, issues);
        this.outer = pulumi
            .secret(
                args.prow
                    ? this.read(name, args.prow, args.readAfter ?? [])
                    : pulumi.output(args.values!),
            )
            .apply(checkOuterValues);

        this.inner = new k8s.core.v1.Secret(
            `${name}-inner`,
            {
                metadata: {
                    name: INNER_SECRET,
                    namespace: args.namespace ?? "default",
                    labels: args.labels ?? {},
                },
                type: "Opaque",
                data: pulumi.secret(
                    pulumi
                        .all([this.outer, args.providerComponentSpec, args.bootstrapKubeconfig])
                        .apply(([outer, spec, kubeconfig]) => ({
                            "provider-component-spec": base64(spec),
                            "target-vm-ssh": base64(outer["target-vm-ssh"]),
                            "target-vm-ssh-pub": base64(outer["target-vm-ssh-pub"]),
                            "bootstrap-kubeconfig": base64(kubeconfig),
                        })),
                ),
            },
            { parent: this, provider: args.bootstrapProvider },
        );
        this.secretName = this.inner.metadata.name;
        this.registerOutputs({ secretName: this.secretName });
    }

    /** The outer secret as the Prow-side cluster has it, decoded. */
    private read(
        name: string,
        prow: { provider: k8s.Provider; namespace: pulumi.Input<string> },
        after: pulumi.Resource[],
    ): pulumi.Output<Record<string, string>> {
        const secret = k8s.core.v1.Secret.get(
            `${name}-outer`,
            pulumi.interpolate`${prow.namespace}/${OUTER_SECRET}`,
            { parent: this, provider: prow.provider, dependsOn: after },
        );
        return secret.data.apply((data) =>
            Object.fromEntries(
                Object.entries(data ?? {}).map(([k, v]) => [
                    k,
                    Buffer.from(v, "base64").toString(),
                ]),
            ),
        );
    }
}
