import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { vcpusOf } from "../../components/devstack/machine-types";
import { setting } from "./context";

const INSTANCE = "gcp:compute/instance:Instance";
const FIREWALL = "gcp:compute/firewall:Firewall";

export const devstackVcpuQuota: StackValidationPolicy = {
    name: "devstack-vcpu-quota",
    description: "The DevStack's machines fit its vCPU quota (devstackVcpuQuota).",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const quota = Number(setting<number>("devstackVcpuQuota"));
        const machines = args.resources.filter((r) => r.type === INSTANCE);
        const used = machines
            .map((r) => vcpusOf(String(r.props.machineType)) ?? 0)
            .reduce((a, b) => a + b, 0);
        if (used > quota) {
            const list = machines.map((r) => `${r.name} ${r.props.machineType}`).join(", ");
            report(
                `the machines need ${used} vCPUs (${list}), over the quota of ${quota} (devstackVcpuQuota)`,
            );
        }
    },
};

/** What the README documents open to the world: components/devstack/network.ts ingressRules. */
const PUBLIC_PORTS: Record<string, string[]> = { tcp: ["22", "80", "9696"], icmp: [] };
const WORLD = ["0.0.0.0/0", "::/0"];

export const ingressDocumentedPorts: ResourceValidationPolicy = {
    name: "ingress-documented-ports",
    description: "No ingress from 0.0.0.0/0 beyond the documented ports (tcp 22, 80, 9696; icmp).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        const p = args.props;
        if (args.type !== FIREWALL || (p.direction ?? "INGRESS") !== "INGRESS") {
            return;
        }
        if (!(p.sourceRanges ?? []).some((r: string) => WORLD.includes(r))) {
            return;
        }
        for (const allow of p.allows ?? []) {
            const allowed = PUBLIC_PORTS[allow.protocol];
            const ports: string[] = allow.ports ?? [];
            const extra =
                allowed === undefined
                    ? ["all"]
                    : ports.length === 0 && allowed.length > 0
                      ? ["all"]
                      : ports.filter((x) => !allowed.includes(x));
            if (extra.length > 0) {
                report(
                    `opens ${allow.protocol} ${extra.join(",")} to the world (sourceRanges ${p.sourceRanges.join(",")})`,
                );
            }
        }
    },
};
