/**
 * GCE zones run out of capacity for large machine types (CAPO's "zone us-east4-a does not have
 * enough resources available" failures). The CI run flow retries `up` with the machine GCE could
 * not place moved to the region's next zone, as the seed tries zones per machine: a worker
 * stockout leaves the controller, and everything on it, where it is.
 */
import { objectNames, Role, ROLES } from "./names";

/** Whether an error from `pulumi up` is GCE saying the zone has no capacity. */
export function isZoneStockout(message: string): boolean {
    return /ZONE_RESOURCE_POOL_EXHAUSTED|does not have enough resources available|resource pool exhausted/i.test(
        message,
    );
}

/** The zone after `current` in `zones`, or undefined when none is left. */
export function nextZone(zones: string[], current: string): string | undefined {
    const i = zones.indexOf(current);
    return i >= 0 ? zones[i + 1] : undefined;
}

/** An error the engine reported for a resource (an Automation API diagnostic event). */
export interface ResourceError {
    urn?: string;
    message: string;
}

/** The machines of the DevStack `prefix` whose creation GCE refused for lack of capacity. */
export function stockedOutRoles(errors: ResourceError[], prefix: string): Role[] {
    const names = objectNames(prefix);
    return ROLES.filter((role) =>
        errors.some(
            (e) => isZoneStockout(e.message) && e.urn?.endsWith(`::${names.instance(role)}`),
        ),
    );
}

/** Each machine's zone. */
export type Placement = Record<Role, string>;

/**
 * Runs `up` with `placement`, and after a stockout again with each machine that `stockedOut`
 * finds in the error moved to its next zone of `zones`. Any other error, a stockout naming no
 * machine, or one in the last zone is thrown. Returns the result and where the machines ended.
 */
export async function upWithZoneFallback<T>(
    zones: string[],
    placement: Placement,
    up: (placement: Placement) => Promise<T>,
    stockedOut: (err: unknown) => Role[],
    onFallback: (role: Role, from: string, to: string) => void = () => undefined,
): Promise<{ result: T; placement: Placement }> {
    for (let current = placement; ;) {
        try {
            return { result: await up(current), placement: current };
        } catch (err) {
            const roles = stockedOut(err);
            const next = { ...current };
            for (const role of roles) {
                const to = nextZone(zones, current[role]);
                if (to === undefined) {
                    throw err;
                }
                next[role] = to;
            }
            if (roles.length === 0) {
                throw err;
            }
            for (const role of roles) {
                onFallback(role, current[role], next[role]);
            }
            current = next;
        }
    }
}
