import { PortRange } from "./range";

/**
 * Ports the stack's local processes (the local clusters' components, the simulated vCenter)
 * lease: below Linux's ephemeral range, so that no outgoing connection takes one while its
 * process restarts, and away from the endpoint ports.
 */
export const LOCAL_PORTS: PortRange = { min: 25000, max: 29999 };

/** Where every stack on the machine leases those ports (see leases.ts). */
export const LOCAL_LEASE_DIR = "/var/tmp/k8s-ci-envs-cluster-ports";
