import * as crypto from "crypto";
import { checkPattern, Issue } from "../validation";

/** Control-plane endpoint ports, as the seed's in-memory mux hands them out. */
export interface PortRange {
    min: number;
    max: number;
}

export const ENDPOINT_PORTS: PortRange = { min: 20000, max: 24000 };

/** Parses "MIN-MAX" and checks it lies within the seed's 20000-24000. */
export function parsePortRange(
    field: string,
    value: unknown,
): { range?: PortRange; issues: Issue[] } {
    const issues = checkPattern(field, value, /^\d+-\d+$/, "a range MIN-MAX such as 20000-24000");
    if (issues.length > 0) {
        return { issues };
    }
    const [min, max] = (value as string).split("-").map(Number);
    if (min < ENDPOINT_PORTS.min || max > ENDPOINT_PORTS.max || min > max) {
        return {
            issues: [
                {
                    field,
                    message: `must be a range MIN-MAX within ${ENDPOINT_PORTS.min}-${ENDPOINT_PORTS.max}; got ${JSON.stringify(value)}`,
                },
            ],
        };
    }
    return { range: { min, max }, issues: [] };
}

/** The port a cluster name prefers: stable across runs, spread over the range. */
export function preferredPort(clusterName: string, range: PortRange): number {
    const size = range.max - range.min + 1;
    const hash = crypto.createHash("sha256").update(clusterName).digest().readUInt32BE(0);
    return range.min + (hash % size);
}

/**
 * The first port, from the cluster's preferred one and wrapping around the range, that
 * `isTaken` does not report; throws when the whole range is taken.
 */
export function pickPort(
    clusterName: string,
    range: PortRange,
    isTaken: (port: number) => boolean,
): number {
    const size = range.max - range.min + 1;
    const first = preferredPort(clusterName, range);
    for (let i = 0; i < size; i++) {
        const port = range.min + ((first - range.min + i) % size);
        if (!isTaken(port)) {
            return port;
        }
    }
    throw new Error(`every port in ${range.min}-${range.max} is in use`);
}
