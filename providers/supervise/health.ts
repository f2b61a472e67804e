import * as http from "http";
import * as https from "https";
import type { TLSSocket } from "tls";
import type { ProcessStatus } from "./index";

/** A process's answer to its health probe: ok, or why not. */
export type Probe = { ok: true } | { ok: false; why: string };

/** Where a process answers its health probe. */
export interface Endpoint {
    url: string;
    /** For https: the CA and client certificate; without, the certificate is not verified. */
    tls?: https.AgentOptions;
    /**
     * For https: the SHA-256 colon-hex thumbprint the server's certificate must have (the
     * stack's pin), checked on the answer.
     */
    thumbprint?: string;
}

/** Asks the endpoint; ok on a 200 (from the pinned certificate, when one is pinned). */
export function probe(endpoint: Endpoint, timeoutMs = 3000): Promise<Probe> {
    return new Promise((resolve) => {
        const url = new URL(endpoint.url);
        // No agent: a fresh connection each time, which shows the certificate anew and leaves
        // no kept-alive socket behind.
        const options =
            url.protocol === "https:"
                ? {
                      ...(endpoint.tls ?? { rejectUnauthorized: false }),
                      timeout: timeoutMs,
                      agent: false,
                  }
                : { timeout: timeoutMs, agent: false };
        const get = url.protocol === "https:" ? https.get : http.get;
        const req = get(url, options, (res) => {
            const served = (res.socket as TLSSocket).getPeerCertificate?.()?.fingerprint256;
            let body = "";
            res.setEncoding("utf8");
            res.on("data", (chunk) => (body += chunk));
            res.on("end", () => {
                if (endpoint.thumbprint !== undefined && served !== endpoint.thumbprint) {
                    resolve({
                        ok: false,
                        why: `serves a certificate with thumbprint ${served}, not the pinned ${endpoint.thumbprint}`,
                    });
                } else if (res.statusCode !== 200) {
                    resolve({ ok: false, why: `${res.statusCode}: ${body.trim().slice(-300)}` });
                } else {
                    resolve({ ok: true });
                }
            });
        });
        req.on("timeout", () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
        req.on("error", (err) => resolve({ ok: false, why: err.message }));
    });
}

/** A supervised process's health as outputs show it. */
export interface ProcessHealth {
    state: string;
    restarts: number;
    healthy: boolean;
    lastExit?: string;
    problem?: string;
}

/** A process is healthy when its supervisor runs it and it answers its probe. */
export function processHealth(status: ProcessStatus | undefined, answer: Probe): ProcessHealth {
    return {
        state: status?.state ?? "unsupervised",
        restarts: status?.restarts ?? 0,
        healthy: answer.ok && status?.state === "running",
        ...(status?.lastExit ? { lastExit: status.lastExit } : {}),
        ...(answer.ok ? {} : { problem: answer.why }),
    };
}
