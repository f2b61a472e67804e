/**
 * Boskos's HTTP API (sigs.k8s.io/boskos handlers): acquire a resource of a type from one state to
 * another for an owner, update it (the heartbeat, and its userdata), release it to a state.
 */

/** A Boskos resource as the server sends it. */
export interface BoskosResource {
    type: string;
    name: string;
    state: string;
    owner: string;
    /** What the resource's owner of record put there: CAPV's folder, resourcePool, ipPool. */
    userdata?: Record<string, string> | null;
}

export class BoskosError extends Error {
    constructor(
        message: string,
        readonly status: number,
    ) {
        super(message);
    }
}

export class BoskosClient {
    constructor(
        private readonly host: string,
        private readonly owner: string,
    ) {}

    /**
     * A resource of `type` in `state`, moved to `dest` for this owner; 404 when none is. The same
     * `requestId` on each try keeps the caller's place in Boskos's queue (first come, first served).
     */
    async acquire(
        type: string,
        state: string,
        dest: string,
        requestId?: string,
    ): Promise<BoskosResource> {
        const query = { type, state, dest, owner: this.owner };
        const body = await this.post(
            "acquire",
            requestId === undefined ? query : { ...query, request_id: requestId },
        );
        return JSON.parse(body) as BoskosResource;
    }

    /** Refreshes the resource's last update (Boskos's reaper reclaims one not updated in 30 min). */
    async update(name: string, state: string, userdata?: Record<string, string>): Promise<void> {
        await this.post(
            "update",
            { name, owner: this.owner, state },
            userdata && JSON.stringify(userdata),
        );
    }

    async release(name: string, dest: string): Promise<void> {
        await this.post("release", { name, dest, owner: this.owner });
    }

    private async post(
        path: string,
        query: Record<string, string>,
        body?: string,
    ): Promise<string> {
        const base = /^https?:\/\//.test(this.host) ? this.host : `http://${this.host}`;
        const url = `${base.replace(/\/$/, "")}/${path}?${new URLSearchParams(query).toString()}`;
        const response = await fetch(url, { method: "POST", body });
        const text = await response.text();
        if (!response.ok) {
            throw new BoskosError(
                `boskos ${path} ${JSON.stringify(query)}: ${response.status} ${text.trim()}`,
                response.status,
            );
        }
        return text;
    }
}
