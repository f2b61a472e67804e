import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { runDescription } from "../run-identity";
import { FirewallRule, objectNames, objectPrefix } from "./names";
import { DevStackSettings, MTU } from "./settings";

export interface DevStackNetwork {
    network: gcp.compute.Network;
    subnet: gcp.compute.Subnetwork;
    firewalls: gcp.compute.Firewall[];
    router: gcp.compute.Router;
    nat: gcp.compute.RouterNat;
}

/** An ingress rule of CAPO's create_devstack.sh's five: which, what it allows, from where, and priority. */
interface IngressRule {
    rule: FirewallRule;
    allows: gcp.types.input.compute.FirewallAllow[];
    sourceRanges: string[];
    priority: number;
}

export function ingressRules(s: DevStackSettings): IngressRule[] {
    return [
        {
            rule: "http",
            allows: [{ protocol: "tcp", ports: ["80"] }],
            sourceRanges: s.sourceRanges,
            priority: 1000,
        },
        {
            rule: "neutron",
            allows: [{ protocol: "tcp", ports: ["9696"] }],
            sourceRanges: s.sourceRanges,
            priority: 1000,
        },
        {
            rule: "icmp",
            allows: [{ protocol: "icmp" }],
            sourceRanges: s.sourceRanges,
            priority: 65534,
        },
        {
            rule: "ssh",
            allows: [{ protocol: "tcp", ports: ["22"] }],
            sourceRanges: s.sourceRanges,
            priority: 65534,
        },
        {
            rule: "internal",
            allows: [
                { protocol: "tcp", ports: ["0-65535"] },
                { protocol: "udp", ports: ["0-65535"] },
                { protocol: "icmp" },
            ],
            sourceRanges: [s.privateCidr],
            priority: 65534,
        },
    ];
}

/** The VPC (MTU 1460), its subnet on the private CIDR, the ingress rules, a router and NAT. */
export function createNetwork(s: DevStackSettings, parent: pulumi.Resource): DevStackNetwork {
    const opts = { parent };
    const description = runDescription(s.run);
    const names = objectNames(objectPrefix(s));
    const network = new gcp.compute.Network(
        names.network,
        { name: names.network, autoCreateSubnetworks: false, mtu: MTU, description },
        opts,
    );
    const subnet = new gcp.compute.Subnetwork(
        `${s.name}-subnet`, // the GCP name is the network's
        {
            name: names.subnet,
            network: network.id,
            region: s.region,
            ipCidrRange: s.privateCidr,
            description,
        },
        opts,
    );
    const firewalls = ingressRules(s).map(
        (rule) =>
            new gcp.compute.Firewall(
                names.firewall(rule.rule),
                {
                    name: names.firewall(rule.rule),
                    network: network.selfLink,
                    direction: "INGRESS",
                    allows: rule.allows,
                    sourceRanges: rule.sourceRanges,
                    priority: rule.priority,
                    description,
                },
                opts,
            ),
    );
    const router = new gcp.compute.Router(
        names.router,
        { name: names.router, network: network.selfLink, region: s.region, description },
        opts,
    );
    const nat = new gcp.compute.RouterNat(
        names.nat,
        {
            name: names.nat,
            router: router.name,
            region: s.region,
            natIpAllocateOption: "AUTO_ONLY",
            sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
        },
        opts,
    );
    return { network, subnet, firewalls, router, nat };
}
