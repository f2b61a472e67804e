import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { SupervisedProcess } from "../supervise";

interface KwokComponent {
    name: string;
    binary?: string;
    args?: string[];
    workDir?: string;
    envs?: { name: string; value: string }[];
}

/**
 * The processes of a binary-runtime cluster, as kwokctl resolved them into the cluster's
 * `kwok.yaml` (sigs.k8s.io/kwok v0.8.0, pkg/apis/config/v1alpha1 KwokctlConfiguration's
 * `components`), in kwokctl's start order; each logs where kwokctl's own processes log
 * (`<cluster>/logs/<binary>.log`).
 */
export function clusterProcesses(clusterDir: string): SupervisedProcess[] {
    const docs = yaml.loadAll(fs.readFileSync(path.join(clusterDir, "kwok.yaml"), "utf8"));
    const config = docs.find(
        (d) => (d as { kind?: string } | null)?.kind === "KwokctlConfiguration",
    ) as { components?: KwokComponent[] } | undefined;
    const components = config?.components ?? [];
    if (components.length === 0) {
        throw new Error(`${clusterDir}/kwok.yaml lists no components`);
    }
    return components.map((c) => {
        if (!c.binary) {
            throw new Error(`${clusterDir}/kwok.yaml: component ${c.name} has no binary`);
        }
        return {
            name: c.name,
            binary: c.binary,
            args: c.args ?? [],
            dir: c.workDir ?? clusterDir,
            env: (c.envs ?? []).map((e) => `${e.name}=${e.value}`),
            log: path.join(clusterDir, "logs", `${path.basename(c.binary)}.log`),
        };
    });
}
