/**
 * A run's Boskos lease, as CAPO's ci-e2e.sh and CAPV's hack/e2e.sh take one: acquire a resource
 * of the configured type (free to busy, owner $JOB_NAME/$BUILD_ID), put its userdata into the
 * run's configuration, heartbeat every minute, release it free after a clean teardown, else dirty.
 */
import { BoskosClient, BoskosResource } from "./boskos-client";

/** What the lease's environment gives: Boskos and the type of resource to lease. */
export interface LeaseEnvironment {
    BOSKOS_HOST?: string;
    BOSKOS_RESOURCE_TYPE?: string;
    JOB_NAME?: string;
    BUILD_ID?: string;
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

    /** Acquires a free resource of `type` for `owner`, and starts its heartbeat. */
    static async acquire(
        host: string,
        type: string,
        owner: string,
        log: (line: string) => void,
        heartbeatMs: number = HEARTBEAT_MS,
    ): Promise<Lease> {
        const client = new BoskosClient(host, owner);
        const resource = await client.acquire(type, "free", "busy");
        log(`boskos: leased ${resource.name} (${type}) for ${owner}\n`);
        const lease = new Lease(client, resource, log);
        lease.beat(heartbeatMs);
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

/** The lease's owner, as CAPV's hack/e2e.sh names it. */
export function leaseOwner(env: LeaseEnvironment): string {
    return `${env.JOB_NAME}/${env.BUILD_ID}`;
}
