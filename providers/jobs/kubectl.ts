import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { resolveTool, run } from "../kwok/tools";

/**
 * Runs `body` with a kubectl bound to `kubeconfig` (its content): the pinned kubectl, with the
 * kubeconfig in a private 0600 file and its cache beside it, never the user's KUBECONFIG or
 * ~/.kube. The folder goes when `body` ends.
 */
export async function withKubectl<T>(
    kubeconfig: string,
    body: (kubectl: (args: string[]) => Promise<string>) => Promise<T>,
): Promise<T> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "k8s-ci-envs-kubectl-"));
    try {
        const file = path.join(dir, "kubeconfig");
        fs.writeFileSync(file, kubeconfig, { mode: 0o600 });
        const env = { ...process.env };
        delete env.KUBECONFIG;
        const tool = resolveTool("kubectl");
        return await body((args) =>
            run(tool, ["--kubeconfig", file, "--cache-dir", path.join(dir, "cache"), ...args], env),
        );
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** Whether a kubectl error says the object does not exist. */
export function isNotFound(err: unknown): boolean {
    return err instanceof Error && /\(NotFound\)|not found/i.test(err.message);
}

/** kubectl bound to a cluster, as withKubectl gives it. */
export type Kubectl = (args: string[]) => Promise<string>;

/** GET of an API path, as JSON: no discovery, so one request each. */
export async function getRaw<T>(kubectl: Kubectl, apiPath: string): Promise<T> {
    return JSON.parse(await kubectl(["get", "--raw", apiPath])) as T;
}

export function namespaced(group: string, namespace: string, resource: string, name = ""): string {
    const e = encodeURIComponent;
    return `${group}/namespaces/${e(namespace)}/${resource}${name ? `/${e(name)}` : ""}`;
}
