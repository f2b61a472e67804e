/**
 * GCE zones run out of capacity for large machine types (CAPO's "zone us-east4-a does not have
 * enough resources available" failures). The CI run flow retries `up` in the region's next zone.
 */

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

/**
 * Runs `up` in `zone`, and on a stockout again in each next zone of `zones`; any other error,
 * or a stockout in the last zone, is thrown. Returns the result and the zone that worked.
 */
export async function upWithZoneFallback<T>(
    zones: string[],
    zone: string,
    up: (zone: string) => Promise<T>,
    onFallback: (from: string, to: string) => void = () => undefined,
): Promise<{ result: T; zone: string }> {
    for (let current: string | undefined = zone; current !== undefined;) {
        try {
            return { result: await up(current), zone: current };
        } catch (err) {
            const next = nextZone(zones, current);
            if (!isZoneStockout(String(err)) || next === undefined) {
                throw err;
            }
            onFallback(current, next);
            current = next;
        }
    }
    throw new Error(`zone ${zone} is not one of ${zones.join(", ")}`);
}
