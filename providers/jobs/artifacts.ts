import * as fs from "fs";
import * as path from "path";
import { isNotFound } from "./kubectl";
import { PodObject } from "./outcome";

/** Every occurrence of each of `secrets` in `text` masked, as CAPV scrubs its artifacts. */
export function redact(text: string, secrets: string[]): string {
    return secrets.filter((s) => s.length >= 4).reduce((t, s) => t.split(s).join("***"), text);
}

/**
 * Writes the Job (with its status), its pods and each pod's logs into `dir`, secrets masked:
 * `job.json`, `pods.json`, `<pod>.log`. A pod whose logs cannot be read (no kubelet serves them)
 * gets a log saying why. Never throws for a log.
 */
export async function writeJobArtifacts(
    dir: string,
    kubectl: (args: string[]) => Promise<string>,
    job: { namespace: string; name: string },
    secrets: string[],
): Promise<PodObject[]> {
    fs.mkdirSync(dir, { recursive: true });
    const write = (file: string, text: string) =>
        fs.writeFileSync(path.join(dir, file), redact(text, secrets), { mode: 0o644 });
    const ns = ["--namespace", job.namespace];
    try {
        write("job.json", await kubectl(["get", "job", job.name, ...ns, "-o", "json"]));
    } catch (err) {
        write("job.json", JSON.stringify({ error: errorText(err, isNotFound(err)) }));
    }
    const podsJson = await kubectl(jobPodsCommand(job));
    write("pods.json", podsJson);
    const pods = (JSON.parse(podsJson) as { items: PodObject[] }).items;
    for (const pod of pods) {
        let log: string;
        try {
            log = await kubectl(["logs", pod.metadata.name, ...ns, "--all-containers"]);
        } catch (err) {
            log = `# the pod's logs could not be read: ${errorText(err, false)}\n`;
        }
        write(`${pod.metadata.name}.log`, log);
    }
    return pods;
}

/** kubectl's arguments that list the Job's pods as JSON. */
export function jobPodsCommand(job: { namespace: string; name: string }): string[] {
    return [
        "get",
        "pods",
        "--namespace",
        job.namespace,
        "-l",
        `job-name=${job.name}`,
        "-o",
        "json",
    ];
}

function errorText(err: unknown, notFound: boolean): string {
    return notFound ? "not found" : err instanceof Error ? err.message : String(err);
}
