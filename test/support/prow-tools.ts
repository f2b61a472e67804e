/**
 * Prow's own code as a validator in the tests: `checkconfig` and `prow-build-clusters`, built from
 * sigs.k8s.io/prow by `hack/tools/install --test` (which `npm test` runs) into hack/tools/bin.
 */
import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const BIN = path.resolve(__dirname, "../../hack/tools/bin");

/** The path of one of Prow's tools, or a clear error when it has not been built. */
export function prowTool(name: "checkconfig" | "prow-build-clusters"): string {
    const file = path.join(BIN, name);
    if (!fs.existsSync(file)) {
        throw new Error(
            `${file} is missing: \`hack/tools/install --test\` builds it (npm test does)`,
        );
    }
    return file;
}

/** How a tool ended: its exit code (or signal) and what it printed. */
interface Run {
    code: number | null;
    stdout: string;
    stderr: string;
}

function run(file: string, args: string[], timeoutMs: number): Promise<Run> {
    return new Promise((resolve, reject) => {
        childProcess.execFile(
            file,
            args,
            { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
            (error, stdout, stderr) => {
                const code = error ? (error as { code?: unknown }).code : 0;
                if (error && typeof code !== "number") {
                    reject(new Error(`${path.basename(file)} ${args.join(" ")}: ${error.message}`));
                    return;
                }
                resolve({ code: code as number, stdout, stderr });
            },
        );
    });
}

/** Runs `body` with a fresh 0700 folder, removed afterwards. */
async function inTempDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prow-tools-"));
    try {
        return await body(dir);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** Whether Prow can use one build cluster, and if not, Prow's own error. */
export interface BuildClusterStatus {
    context: string;
    ok: boolean;
    reason?: string;
}

export interface BuildClustersOptions {
    /** Also write plank's build cluster status file there (what checkconfig reads). */
    statusFile?: string;
    /** How long Prow may take to reach every cluster (default 60). */
    timeoutSeconds?: number;
}

/**
 * Loads `kubeconfig` (its text, such as the stack's `prowKubeconfig` output) as
 * prow-controller-manager does, and reports each cluster Prow checks: reachable, and allowed to
 * create, get, list, watch, delete and patch pods in `podNamespace` (Prow's `pod_namespace`, the
 * stack's `prowPodNamespace` output). One entry per context, and `default`: Prow's alias for the
 * current context, where jobs without `cluster:` run. Throws when Prow cannot load the kubeconfig
 * at all (a duplicate context, a cluster without a server, ...), with Prow's message.
 */
export async function prowBuildClusters(
    kubeconfig: string,
    podNamespace: string,
    options: BuildClustersOptions = {},
): Promise<BuildClusterStatus[]> {
    const timeout = options.timeoutSeconds ?? 60;
    return inTempDir(async (dir) => {
        const file = path.join(dir, "kubeconfig");
        fs.writeFileSync(file, kubeconfig, { mode: 0o600 });
        const args = [
            `--kubeconfig=${file}`,
            `--pod-namespace=${podNamespace}`,
            `--timeout=${timeout}s`,
            ...(options.statusFile ? [`--status-file=${options.statusFile}`] : []),
        ];
        // The tool itself runs Prow again after its known race, up to 3 times.
        const result = await run(prowTool("prow-build-clusters"), args, (3 * timeout + 30) * 1000);
        if (result.code !== 0 && result.code !== 1) {
            throw new Error(`prow-build-clusters failed (exit ${result.code}): ${result.stderr}`);
        }
        const statuses = JSON.parse(result.stdout) as BuildClusterStatus[];
        return statuses.map(({ context, ok, reason }) => ({
            context,
            ok,
            ...(reason === undefined ? {} : { reason }),
        }));
    });
}

/** Prow's configuration and job configuration files, as YAML texts. */
export interface ProwConfigFiles {
    /** Prow's config.yaml. */
    config: string;
    /** Job config files, by file name (`*.yaml`). */
    jobs: Record<string, string>;
    /** Prow's plugins.yaml, when the checks of the plugins (such as the trigger) should run. */
    plugins?: string;
}

/** What `checkconfig --strict` said: whether it accepts the files, and its log. */
export interface CheckconfigResult {
    ok: boolean;
    output: string;
}

/**
 * Runs Prow's `checkconfig --strict` (its default warnings, and unknown fields in job configs too)
 * on the files, written to a temporary folder.
 */
export async function prowCheckconfig(files: ProwConfigFiles): Promise<CheckconfigResult> {
    return inTempDir(async (dir) => {
        const jobsDir = path.join(dir, "jobs");
        fs.mkdirSync(jobsDir);
        fs.writeFileSync(path.join(dir, "config.yaml"), files.config);
        for (const [name, text] of Object.entries(files.jobs)) {
            fs.writeFileSync(path.join(jobsDir, name), text);
        }
        const args = [
            "--strict",
            "--include-default-warnings",
            "--warnings=unknown-fields-all",
            `--config-path=${path.join(dir, "config.yaml")}`,
            `--job-config-path=${jobsDir}`,
        ];
        if (files.plugins !== undefined) {
            fs.writeFileSync(path.join(dir, "plugins.yaml"), files.plugins);
            args.push(`--plugin-config=${path.join(dir, "plugins.yaml")}`);
        }
        const result = await run(prowTool("checkconfig"), args, 120_000);
        return { ok: result.code === 0, output: result.stderr + result.stdout };
    });
}
