/** The names of the GCP objects a DevStack creates, all derived from its prefix (devstackName). */

/** GCP's limit on the length of a resource name (RFC 1035 label). */
export const GCP_NAME_MAX = 63;

export type Role = "controller" | "worker";
export const ROLES: readonly Role[] = ["controller", "worker"];

/** The seed's five ingress rules, as their names end: `<prefix>-network-allow-<rule>`. */
export const FIREWALL_RULES = ["http", "neutron", "icmp", "ssh", "internal"] as const;
export type FirewallRule = (typeof FIREWALL_RULES)[number];

export function objectNames(prefix: string) {
    const network = `${prefix}-network`;
    return {
        network,
        subnet: `${prefix}-subnet`,
        router: `${prefix}-router`,
        nat: `${prefix}-nat`,
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
