import * as crypto from "crypto";

/** A range of TCP ports, both ends included. */
export interface PortRange {
    min: number;
    max: number;
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
