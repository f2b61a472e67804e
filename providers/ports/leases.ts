import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { removeEmptyParents } from "../dynamic";
import { pickPort, PortRange } from "./range";

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

/**
 * Where every stack on the machine leases its ports: the same for every user and process
 * (unlike $TMPDIR), and kept across reboots as long as the stacks that hold them.
 */
export const MACHINE_LEASE_DIR = "/var/tmp/k8s-ci-envs-endpoint-ports";

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

/**
 * Creates the lease folder for every user of the machine: world-writable and sticky, as /tmp,
 * so that each user removes only their own leases. It appears whole, with its mode, or not at
 * all: made aside, then renamed into place.
 */
function makeSharedDir(dir: string): void {
    if (fs.existsSync(dir)) {
        return;
    }
    const aside = fs.mkdtempSync(`${dir}.`);
    try {
        fs.chmodSync(aside, 0o1777);
        fs.renameSync(aside, dir);
    } catch (err) {
        // Another process made it first (and may have leased in it already): use theirs.
        if (!fs.existsSync(dir)) {
            throw err;
        }
    } finally {
        fs.rmSync(aside, { recursive: true, force: true });
    }
}

/**
 * Leases a free port for `owner`. A lease the owner already holds (a create retried after a
 * crash) is reused while it still fits the range and host, and released otherwise.
 */
export async function acquireLease(
    dir: string,
    range: PortRange,
    lease: Omit<Lease, "port">,
): Promise<number> {
    makeSharedDir(dir);
    const held = heldBy(dir, lease.owner);
    if (held !== undefined) {
        if (held.host === lease.host && held.port >= range.min && held.port <= range.max) {
            return held.port;
        }
        fs.rmSync(leasePath(dir, held.port), { force: true });
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
            const code = (err as NodeJS.ErrnoException).code;
            if (code === "ENOENT") {
                makeSharedDir(dir); // the last lease elsewhere was released, and the folder went
            } else if (code === "EEXIST") {
                unusable.add(port); // another stack won it between the check and the write
            } else {
                throw err;
            }
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

/** Releases `owner`'s lease on `port`; the lease folder goes once empty. */
export function releaseLease(dir: string, port: number, owner: string): void {
    const file = leasePath(dir, port);
    if (readLease(file)?.owner === owner) {
        fs.rmSync(file, { force: true });
    }
    removeEmptyParents(file, dir);
}
