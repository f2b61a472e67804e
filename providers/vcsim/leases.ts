import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { removeEmptyParents } from "../dynamic";
import { pickPort, PortRange } from "./ports";

/**
 * Machine-wide port leases: one file per port, created exclusively, so that no two stacks on
 * the machine are ever handed the same port. `owner` identifies the holder (a stack's folder
 * plus the cluster name, which differs between clones that both have a `local` stack).
 */
export interface Lease {
    owner: string;
    cluster: string;
    host: string;
    port: number;
}

export function leasePath(dir: string, port: number): string {
    return path.join(dir, `${port}.json`);
}

function readLease(file: string): Lease | undefined {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8")) as Lease;
    } catch {
        return undefined;
    }
}

/** Whether something on the machine already listens on host:port. */
export function portIsFree(host: string, port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const server = net.createServer();
        server.once("error", () => resolve(false));
        server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
    });
}

/** Leases a free port for `owner`, reusing the one it already holds. */
export async function acquireLease(
    dir: string,
    range: PortRange,
    lease: Omit<Lease, "port">,
): Promise<number> {
    fs.mkdirSync(dir, { recursive: true });
    const held = heldBy(dir, lease.owner);
    if (held !== undefined) {
        return held.port;
    }
    const unusable = new Set<number>();
    for (;;) {
        const port = pickPort(
            lease.cluster,
            range,
            (p) => unusable.has(p) || fs.existsSync(leasePath(dir, p)),
        );
        if (!(await portIsFree(lease.host, port))) {
            unusable.add(port);
            continue;
        }
        try {
            fs.writeFileSync(leasePath(dir, port), JSON.stringify({ ...lease, port }), {
                flag: "wx",
                mode: 0o644,
            });
            return port;
        } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== "EEXIST") {
                throw err;
            }
            unusable.add(port); // another stack won it between the check and the write
        }
    }
}

/** The lease `owner` holds, if any. */
export function heldBy(dir: string, owner: string): Lease | undefined {
    if (!fs.existsSync(dir)) {
        return undefined;
    }
    return fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".json"))
        .map((f) => readLease(path.join(dir, f)))
        .find((l) => l?.owner === owner);
}

/** Releases `owner`'s lease on `port`; the lease folder and its parent go once empty. */
export function releaseLease(dir: string, port: number, owner: string): void {
    const file = leasePath(dir, port);
    if (readLease(file)?.owner === owner) {
        fs.rmSync(file, { force: true });
    }
    removeEmptyParents(file, path.dirname(dir));
}
