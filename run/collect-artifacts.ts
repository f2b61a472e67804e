/**
 * What a run leaves in $ARTIFACTS at its end: the stack's outputs (secrets as [secret]), and every
 * file scrubbed of the job's credentials and the secret outputs, plain and base64, as CAPV's
 * hack/e2e.sh scrubs its own.
 */
import * as fs from "fs";
import * as path from "path";
import type { Stack } from "@pulumi/pulumi/automation";
import { maskSecrets } from "./preview-report";
import { RunRecorder } from "./recorder";
import { outputsJson } from "./shell-exports";

/** Each secret as it may appear in a log: as it is, and base64-encoded. */
export function secretForms(secrets: string[]): string[] {
    return secrets
        .filter((s) => s.length >= 4) // shorter would mask ordinary text
        .flatMap((s) => [s, Buffer.from(s).toString("base64")]);
}

/** Rewrites each file under `dir` that holds one of `secrets`, with [secret] in its place. */
export function scrubFolder(dir: string, secrets: string[]): string[] {
    const forms = secretForms(secrets);
    const scrubbed: string[] = [];
    for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
        if (!entry.isFile()) {
            continue;
        }
        const file = path.join(entry.parentPath, entry.name);
        const text = fs.readFileSync(file, "utf8");
        const masked = maskSecrets(text, forms);
        if (masked !== text) {
            fs.writeFileSync(file, masked);
            scrubbed.push(file);
        }
    }
    return scrubbed;
}

/**
 * Writes the stack's outputs (secrets as [secret]) to pulumi-outputs.json; resolves to the
 * secret outputs' values, for the scrub at the run's end.
 */
export async function collectOutputs(
    stack: Pick<Stack, "outputs">,
    recorder: RunRecorder,
    log: (line: string) => void,
): Promise<string[]> {
    try {
        const outputs = await stack.outputs();
        recorder.write("pulumi-outputs.json", outputsJson(outputs, false));
        return Object.values(outputs)
            .filter((o) => o.secret && typeof o.value === "string")
            .map((o) => o.value as string);
    } catch (err) {
        log(`no outputs to collect: ${err instanceof Error ? err.message : String(err)}\n`);
        return [];
    }
}

/** Scrubs `secrets` from every file in $ARTIFACTS: the run's last step, after its last write. */
export function scrubArtifacts(
    recorder: RunRecorder,
    secrets: string[],
    log: (line: string) => void,
): void {
    if (recorder.dir) {
        for (const file of scrubFolder(recorder.dir, secrets)) {
            log(`scrubbed a secret from ${file}\n`);
        }
    }
}
