import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ClusterBinaries } from "./kwokctl-config";

/** The absolute, link-free path of `name` on PATH (the pinned toolchain is first on it). */
export function resolveTool(name: string): string {
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
        const candidate = path.join(dir, name);
        try {
            fs.accessSync(candidate, fs.constants.X_OK);
            return fs.realpathSync(candidate);
        } catch {
            // not here
        }
    }
    throw new Error(`${name} is not on PATH: run hack/tools/install (npm run tools)`);
}

export function clusterBinaries(): ClusterBinaries {
    return {
        kubeApiserver: resolveTool("kube-apiserver"),
        kubeControllerManager: resolveTool("kube-controller-manager"),
        kubeScheduler: resolveTool("kube-scheduler"),
        kubectl: resolveTool("kubectl"),
        etcd: resolveTool("etcd"),
        kwokController: resolveTool("kwok"),
    };
}

/** kwok's Stage manifests, installed beside kwokctl from the same pinned module. */
export function kwokStages(): string[] {
    const dir = path.join(path.dirname(resolveTool("kwokctl")), "kwok-stages");
    return fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".yaml"))
        .sort()
        .map((f) => fs.readFileSync(path.join(dir, f), "utf8"));
}

/**
 * The environment the cluster tools run in: the user's, without KUBECONFIG, so that nothing
 * reads or writes the user's kubeconfig; kwokctl keeps its state in `workdir`.
 */
export function toolEnv(workdir: string): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, KWOK_WORKDIR: workdir };
    delete env.KUBECONFIG;
    return env;
}

/** Runs a tool to completion; the error names the command and carries its output's tail. */
export function run(
    tool: string,
    args: string[],
    env: NodeJS.ProcessEnv,
    input?: string,
): Promise<string> {
    return new Promise((resolve, reject) => {
        const child = childProcess.execFile(
            tool,
            args,
            { env, maxBuffer: 64 * 1024 * 1024, timeout: 300_000 },
            (err, stdout, stderr) => {
                if (err) {
                    const detail = `${stderr}\n${stdout}`.trim().split("\n").slice(-15).join("\n");
                    reject(new Error(`${tool} ${args.join(" ")}: ${detail || err.message}`));
                    return;
                }
                resolve(stdout);
            },
        );
        if (input !== undefined) {
            child.stdin!.end(input);
        }
    });
}
