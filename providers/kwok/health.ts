import * as fs from "fs";
import * as path from "path";
import { ProcessStatus, readSpec, readSupervisor, SupervisorFiles, tail } from "../supervise";
import { Endpoint, probe, ProcessHealth, processHealth } from "../supervise/health";
import { ComponentPorts } from "./kwokctl-config";

/**
 * Each component's health endpoint, on its leased loopback port: etcd's /health, the API
 * server's /readyz (checked with the cluster's CA and the admin certificate), the
 * controller-manager's and scheduler's /healthz, kwok's /healthz. The controller-manager and
 * scheduler serve self-signed certificates and allow /healthz to anyone
 * (`--authorization-always-allow-paths`): like the kubelet's HTTPS probes, these send no
 * credentials and do not verify the certificate.
 */
export function healthEndpoints(dir: string, ports: ComponentPorts): Record<string, Endpoint> {
    const pki = (f: string) => fs.readFileSync(path.join(dir, "pki", f));
    const loopback = (scheme: string, port: number, p: string) =>
        `${scheme}://127.0.0.1:${port}${p}`;
    return {
        etcd: { url: loopback("http", ports.etcdPort, "/health") },
        "kube-apiserver": {
            url: loopback("https", ports.kubeApiserverPort, "/readyz"),
            tls: { ca: pki("ca.crt"), cert: pki("admin.crt"), key: pki("admin.key") },
        },
        "kube-controller-manager": {
            url: loopback("https", ports.kubeControllerManagerPort, "/healthz"),
        },
        "kube-scheduler": { url: loopback("https", ports.kubeSchedulerPort, "/healthz") },
        "kwok-controller": { url: loopback("http", ports.kwokControllerPort, "/healthz") },
    };
}

/** A component's health as the cluster's outputs show it. */
export type ComponentHealth = ProcessHealth;

/** Every component's supervisor status and probe; only reads and asks. */
export async function clusterHealth(
    dir: string,
    ports: ComponentPorts,
    files: SupervisorFiles,
): Promise<Record<string, ComponentHealth>> {
    const processes = readSupervisor(files)?.processes ?? [];
    const endpoints = healthEndpoints(dir, ports);
    const entries = await Promise.all(
        Object.entries(endpoints).map(async ([name, endpoint]) => {
            const status: ProcessStatus | undefined = processes.find((p) => p.name === name);
            const answer = await probe(endpoint);
            return [name, processHealth(status, answer)] as const;
        }),
    );
    return Object.fromEntries(entries);
}

/** What is wrong with the components that are not healthy, each with its log's last lines. */
export function describeUnhealthy(
    files: SupervisorFiles,
    health: Record<string, ComponentHealth>,
): string | undefined {
    const bad = Object.entries(health).filter(([, h]) => !h.healthy);
    if (bad.length === 0) {
        return undefined;
    }
    const logs = new Map(readSpec(files).map((p) => [p.name, p.log]));
    return bad
        .map(([name, h]) => {
            const facts = [
                `state ${h.state}`,
                `${h.restarts} restarts`,
                ...(h.lastExit ? [`last ${h.lastExit}`] : []),
                ...(h.problem ? [`probe: ${h.problem}`] : []),
            ].join(", ");
            const log = logs.get(name);
            const lines = log ? `; the last lines of ${log}:\n${tail(log)}` : "";
            return `${name} is not healthy (${facts})${lines}`;
        })
        .join("\n\n");
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until every component is running and answers its probe, long enough for a loaded
 * 2-core machine; otherwise fails naming each component that is not, with its log's tail.
 */
export async function waitHealthy(
    dir: string,
    ports: ComponentPorts,
    files: SupervisorFiles,
    timeoutMs: number,
): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const health = await clusterHealth(dir, ports, files);
        const problem = describeUnhealthy(files, health);
        if (problem === undefined) {
            return;
        }
        if (Date.now() > deadline) {
            throw new Error(`not healthy within ${timeoutMs / 1000} s:\n${problem}`);
        }
        await sleep(500);
    }
}
