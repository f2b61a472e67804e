import { ResourceValidationPolicy } from "@pulumi/policy";
import { gcpLabelValue } from "../../components/run-identity";
import { stack } from "./context";

/** GCP types that take labels; the others this project creates take the same as description. */
const LABELLED = new Set([
    "gcp:compute/instance:Instance",
    "gcp:compute/disk:Disk",
    "gcp:storage/bucket:Bucket",
]);
/** GCP types that take neither labels nor a description (Cloud NAT): the router carries them. */
const UNLABELLABLE = new Set(["gcp:compute/routerNat:RouterNat"]);
export const VSPHERE_VM = "pulumi-nodejs:dynamic/vsphere:VirtualMachine";

/** What is missing of the run's identity (components/run-identity.ts gcpLabels) in `labels`. */
function missing(labels: Record<string, unknown>): string[] {
    const want = gcpLabelValue(stack());
    const gaps: string[] = [];
    if (labels["k8s-ci-envs-stack"] !== want) {
        gaps.push(
            `k8s-ci-envs-stack=${want} (has ${JSON.stringify(labels["k8s-ci-envs-stack"] ?? null)})`,
        );
    }
    if (!/^\d+$/.test(String(labels["ttl-hours"] ?? ""))) {
        gaps.push("ttl-hours (the expiry janitors sweep by)");
    }
    return gaps;
}

function fromDescription(description: unknown): Record<string, string> {
    return Object.fromEntries(
        String(description ?? "")
            .split(/\s+/)
            .map((kv) => kv.split("="))
            .filter((kv) => kv.length === 2),
    );
}

export const runLabels: ResourceValidationPolicy = {
    name: "run-labels",
    description:
        "Every GCP and vSphere object carries the run's labels (its stack) and its expiry.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (
            args.type.startsWith("gcp:") &&
            !UNLABELLABLE.has(args.type) &&
            !args.type.startsWith("pulumi:providers:")
        ) {
            const labels = LABELLED.has(args.type)
                ? (args.props.labels ?? {})
                : fromDescription(args.props.description);
            const gaps = missing(labels);
            if (gaps.length > 0) {
                report(
                    `${LABELLED.has(args.type) ? "labels" : "description"} lack ${gaps.join(", ")}`,
                );
            }
        } else if (args.type === VSPHERE_VM) {
            // The expiry: an expiresAt, or the ttl-hours label as GCP objects carry it.
            const gaps = missing(args.props.labels ?? {});
            const expiry = gaps.findIndex((g) => g.startsWith("ttl-hours"));
            if (expiry >= 0) {
                gaps.splice(expiry, 1);
                if (!args.props.expiresAt) {
                    gaps.push("an expiry (expiresAt, or the ttl-hours label)");
                }
            }
            if (gaps.length > 0) {
                report(`the VM's annotation lacks ${gaps.join(", ")}`);
            }
        }
    },
};
