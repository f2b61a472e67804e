/**
 * A run's Boskos lease, as CAPO's ci-e2e.sh and CAPV's hack/e2e.sh take one: acquire a resource
 * of the configured type (free to busy, owner $JOB_NAME/$BUILD_ID), waiting while none is free as
 * Boskos's own client does (AcquireWait), put its userdata into the run's configuration,
 * heartbeat every minute, release it free after a clean teardown, else dirty.
 */
import { randomUUID } from "crypto";
import { BoskosClient, BoskosError, BoskosResource } from "./boskos-client";
import { formatDuration, parseDuration } from "./duration";

/** What the lease's environment gives: Boskos, the type of resource to lease, how long to wait. */
export interface LeaseEnvironment {
    BOSKOS_HOST?: string;
    BOSKOS_RESOURCE_TYPE?: string;
    /** A Go duration (30m, 1h30m) or a number of seconds; default 30m. */
    BOSKOS_ACQUIRE_TIMEOUT?: string;
    JOB_NAME?: string;
    BUILD_ID?: string;
}

/** How long a run waits for a free resource by default. */
export const ACQUIRE_TIMEOUT_MS = 30 * 60_000;

/** BOSKOS_ACQUIRE_TIMEOUT in ms (refused, named, when it is not a duration). */
export function acquireTimeoutMs(env: LeaseEnvironment): number {
    const text = env.BOSKOS_ACQUIRE_TIMEOUT;
    return text === undefined || text === ""
        ? ACQUIRE_TIMEOUT_MS
        : parseDuration(text, "BOSKOS_ACQUIRE_TIMEOUT");
}

/**
 * The pause between tries while none is free: Boskos's client tries every 3 s; this one starts
 * there and doubles, up to less than Boskos's request TTL (30 s) so the run keeps its place.
 */
const FIRST_RETRY_MS = 3_000;
const MAX_RETRY_MS = 20_000;
/** Other failures (Boskos unreachable, a 5xx) are tried this many times, as Boskos's client does. */
const TRANSIENT_TRIES = 4;
const WAITING_NOTE_MS = 60_000;

/** How a lease is taken: its heartbeat, how long to wait for a free resource, and a cancel. */
export interface AcquireOptions {
    heartbeatMs?: number;
    timeoutMs?: number;
    signal?: AbortSignal;
}

/** CAPV's resource type on GCVE (kubernetes/test-infra's preset and boskos-resources). */
export const DEFAULT_RESOURCE_TYPE = "gcve-vsphere-project";

/**
 * Which config key each userdata entry fills: CAPV's vSphere projects carry a folder, a resource
 * pool and an address pool; a GCP project's resource is the project itself (its name).
 */
export const USERDATA_KEYS: Record<string, string> = {
    folder: "vsphereFolder",
    resourcePool: "vsphereResourcePool",
    ipPool: "vsphereIpPool",
};

/** Resource types whose resource name is a GCP project (CAPO's `gce-project`). */
export const GCP_PROJECT_TYPES: ReadonlySet<string> = new Set(["gce-project", "gcp-project"]);

/** The run's configuration from a leased resource, by key. */
export function leasedConfig(resource: BoskosResource): Record<string, string> {
    const config: Record<string, string> = {};
    if (GCP_PROJECT_TYPES.has(resource.type)) {
        config.gcpProject = resource.name;
    }
    for (const [entry, value] of Object.entries(resource.userdata ?? {})) {
        const key = USERDATA_KEYS[entry];
        if (key !== undefined && value !== "") {
            config[key] = value;
        }
    }
    return config;
}

/** Boskos's reaper reclaims a busy resource after 30 minutes without an update; CAPV beats every minute. */
export const HEARTBEAT_MS = 60_000;

export class Lease {
    private heartbeat?: NodeJS.Timeout;

    constructor(
        private readonly client: BoskosClient,
        readonly resource: BoskosResource,
        private readonly log: (line: string) => void,
    ) {}

    /**
     * Acquires a free resource of `type` for `owner`, waiting up to the timeout while none is
     * free (no heartbeat until then), and starts its heartbeat.
     */
    static async acquire(
        host: string,
        type: string,
        owner: string,
        log: (line: string) => void,
        options: AcquireOptions = {},
    ): Promise<Lease> {
        const client = new BoskosClient(host, owner);
        const resource = await waitForResource(client, type, owner, log, options);
        log(`boskos: leased ${resource.name} (${type}) for ${owner}\n`);
        const lease = new Lease(client, resource, log);
        lease.beat(options.heartbeatMs ?? HEARTBEAT_MS);
        return lease;
    }

    /** Releases the resource `free` after a clean teardown, else `dirty` for Boskos's janitor. */
    async release(clean: boolean): Promise<string> {
        clearInterval(this.heartbeat);
        const dest = clean ? "free" : "dirty";
        await this.client.release(this.resource.name, dest);
        this.log(`boskos: released ${this.resource.name} ${dest}\n`);
        return dest;
    }

    private beat(ms: number): void {
        this.heartbeat = setInterval(() => {
            this.client.update(this.resource.name, "busy").catch((err: Error) => {
                this.log(`boskos: heartbeat of ${this.resource.name} failed: ${err.message}\n`);
            });
        }, ms);
        this.heartbeat.unref();
    }
}

/** Boskos's answer when none of the type is free (404), or one is being handed out (401). */
function noneFree(err: unknown): boolean {
    return err instanceof BoskosError && (err.status === 404 || err.status === 401);
}

async function waitForResource(
    client: BoskosClient,
    type: string,
    owner: string,
    log: (line: string) => void,
    options: AcquireOptions,
): Promise<BoskosResource> {
    const timeoutMs = options.timeoutMs ?? ACQUIRE_TIMEOUT_MS;
    const start = Date.now();
    const requestId = randomUUID();
    let pauseMs = FIRST_RETRY_MS;
    let failures = 0;
    let noted: number | undefined;
    for (;;) {
        if (options.signal?.aborted) {
            throw new Error(
                `boskos: stopped waiting for a ${type} resource: ${options.signal.reason}`,
            );
        }
        try {
            return await client.acquire(type, "free", "busy", requestId);
        } catch (err) {
            if (!noneFree(err)) {
                if (++failures >= TRANSIENT_TRIES) {
                    throw err;
                }
                log(`boskos: ${err instanceof Error ? err.message : String(err)}; trying again\n`);
            } else {
                failures = 0;
                const now = Date.now();
                if (noted === undefined || now - noted >= WAITING_NOTE_MS) {
                    log(
                        noted === undefined
                            ? `boskos: no free ${type} resource for ${owner}: waiting up to ${formatDuration(timeoutMs)} (BOSKOS_ACQUIRE_TIMEOUT)\n`
                            : `boskos: still waiting for a free ${type} resource (${formatDuration(now - start)})\n`,
                    );
                    noted = now;
                }
            }
        }
        const left = start + timeoutMs - Date.now();
        if (left <= 0) {
            throw new Error(
                `boskos: no free ${type} resource within ${formatDuration(timeoutMs)} (BOSKOS_ACQUIRE_TIMEOUT)`,
            );
        }
        await sleep(Math.min(pauseMs, left), options.signal);
        pauseMs = Math.min(pauseMs * 2, MAX_RETRY_MS);
    }
}

/** Resolves after `ms`, or as soon as `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
        const done = () => {
            clearTimeout(timer);
            signal?.removeEventListener("abort", done);
            resolve();
        };
        const timer = setTimeout(done, ms);
        signal?.addEventListener("abort", done);
    });
}

/** The lease's owner, as CAPV's hack/e2e.sh names it. */
export function leaseOwner(env: LeaseEnvironment): string {
    return `${env.JOB_NAME}/${env.BUILD_ID}`;
}
