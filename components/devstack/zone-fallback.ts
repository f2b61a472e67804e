/**
 * GCE zones run out of capacity for large machine types (CAPO's "zone us-east4-a does not have
 * enough resources available" failures). The CI run flow retries `up` with the machine GCE could
 * not place moved to the region's next zone, as CAPO's create_devstack.sh tries zones per machine: a worker
 * stockout leaves the controller, and everything on it, where it is.
 */
import type { DiagnosticEvent } from "@pulumi/pulumi/automation";
import { objectNames, Role, ROLES } from "./names";
import { DevStackSettings, ZONE_FIELDS } from "./settings";

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

/** An error the engine reported, for a resource when it has a URN. */
export type EngineError = Pick<DiagnosticEvent, "urn" | "message">;

/** The machines of the DevStack `prefix` whose creation GCE refused for lack of capacity. */
export function stockedOutRoles(errors: EngineError[], prefix: string): Role[] {
    const names = objectNames(prefix);
    return ROLES.filter((role) =>
        errors.some(
            (e) => isZoneStockout(e.message) && e.urn?.endsWith(`::${names.instance(role)}`),
        ),
    );
}

/** Each machine's zone. */
export type Placement = Record<Role, string>;

/** Where the settings place each machine. */
export function placementOf(s: Pick<DevStackSettings, "zone" | "workerZone">): Placement {
    return { controller: s[ZONE_FIELDS.controller], worker: s[ZONE_FIELDS.worker] };
}

/**
 * Runs `up` with `placement`, and after a stockout again with each machine that `stockedOut`
 * names (from what the failed `up` reported) moved to its next zone of `zones`. Any other error,
 * a stockout naming no machine, or one in the last zone is thrown. Returns the result and where
 * the machines ended.
 */
export async function upWithZoneFallback<T>(
    zones: string[],
    placement: Placement,
    up: (placement: Placement) => Promise<T>,
    stockedOut: () => Role[],
    onFallback: (role: Role, from: string, to: string) => void = () => undefined,
): Promise<{ result: T; placement: Placement }> {
    for (let current = placement; ;) {
        try {
            return { result: await up(current), placement: current };
        } catch (err) {
            const roles = stockedOut();
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
