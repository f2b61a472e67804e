/** The names of the GCP objects a DevStack creates, all derived from its prefix (devstackName). */

import { shortHash } from "../run-identity";
import type { DevStackSettings } from "./settings";

/** GCP's limit on the length of a resource name (RFC 1035 label). */
export const GCP_NAME_MAX = 63;

export type Role = "controller" | "worker";
export const ROLES: readonly Role[] = ["controller", "worker"];

/** CAPO's create_devstack.sh's five ingress rules, as their names end: `<prefix>-mynetwork-allow-<rule>`. */
export const FIREWALL_RULES = ["http", "neutron", "icmp", "ssh", "internal"] as const;
export type FirewallRule = (typeof FIREWALL_RULES)[number];

/**
 * The prefix of every GCP name: create_devstack.sh's `name` in a project the run has to itself; in a
 * shared project, `name-<hash of the run's stack>`, so that concurrent runs never meet.
 */
export function objectPrefix(
    s: Pick<DevStackSettings, "name" | "projectLeased"> & { run: { stack: string } },
): string {
    return s.projectLeased ? s.name : `${s.name}-${shortHash(s.run.stack)}`;
}

/** CAPO's create_devstack.sh names (its GCP_NETWORK_NAME and the rest), which janitors and people know. */
export function objectNames(prefix: string) {
    const network = `${prefix}-mynetwork`;
    return {
        network,
        /** CAPO's create_devstack.sh names the subnet after its network. */
        subnet: network,
        router: `${prefix}-myrouter`,
        nat: `${prefix}-mynat`,
        firewall: (rule: FirewallRule) => `${network}-allow-${rule}`,
        /** Also the Pulumi name of the instance, which the CI run flow finds in engine errors. */
        instance: (role: Role) => `${prefix}-${role}`,
    };
}

/** Every GCP object name of the DevStack (the boot disks take their instance's). */
export function allObjectNames(prefix: string): string[] {
    const n = objectNames(prefix);
    return [
        n.network,
        n.subnet,
        n.router,
        n.nat,
        ...FIREWALL_RULES.map(n.firewall),
        ...ROLES.map(n.instance),
    ];
}
