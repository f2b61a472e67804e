/**
 * The steps of a run on its stack, each recorded in $ARTIFACTS (recorder.ts): configure and
 * preview for PR review, `up` with the zone fallback, and destroy.
 */
import type { ConfigValue, EngineEvent, Stack } from "@pulumi/pulumi/automation";
import type { Placement } from "../components/devstack/zone-fallback";
import { PROJECT } from "../stacks/config";
import { POLICY_PACK } from "./policy";
import { previewJson, previewMarkdown, previewReport } from "./preview-report";
import { RunRecorder } from "./recorder";
import { ttlHoursOf } from "./expiry";
import { configJson, projectKey } from "./run-config";
import { adviseOnLock } from "./state-lock";
import { COLOR, RunStack, upWithFallback } from "./zone-fallback";

/** The part of an Automation API stack `preview` uses. */
export type PreviewStack = Pick<Stack, "name" | "preview">;

/**
 * `pulumi preview --diff --policy-pack policy/` as a step, into $ARTIFACTS/pulumi-preview.md (for
 * a PR comment) and pulumi-preview.json, with the pack's findings; a preview the pack fails is
 * reported too, then fails the step.
 */
export async function previewToArtifacts(
    stack: PreviewStack,
    recorder: RunRecorder,
    signal?: AbortSignal,
): Promise<void> {
    const events: EngineEvent[] = [];
    let output = "";
    const log = recorder.log();
    const preview = recorder
        .run("pulumi preview", () =>
            stack.preview({
                diff: true,
                color: COLOR,
                signal,
                policyPacks: [POLICY_PACK],
                onOutput: (text) => {
                    output += text;
                    log(text);
                },
                onEvent: (e) => events.push(e),
            }),
        )
        .then(
            (result) => ({ result, failure: undefined }),
            (failure: unknown) => ({ result: { stdout: output, changeSummary: {} }, failure }),
        );
    const { result, failure } = await preview;
    const report = previewReport(result, events);
    const heading = { operation: "preview", project: PROJECT, stack: stack.name };
    recorder.write("pulumi-preview.md", previewMarkdown(report, heading));
    recorder.write("pulumi-preview.json", previewJson(report));
    if (failure !== undefined) {
        throw failure;
    }
}

/** The part of an Automation API stack `up` uses. */
export type UpStack = RunStack & PreviewStack & Pick<Stack, "setAllConfigJson">;

/**
 * Configures the run's stack with `config`, previews it, then `up` (pulumi-up.log);
 * junit_pulumi.xml has each step. A stack locked by another update (or a killed one's lock)
 * fails with who holds it and how to clear it (state-lock.ts).
 */
export async function runUp(
    stack: UpStack,
    config: Record<string, ConfigValue>,
    recorder: RunRecorder,
    signal?: AbortSignal,
): Promise<Placement | undefined> {
    try {
        await stack.setAllConfigJson(configJson(config));
        await previewToArtifacts(stack, recorder, signal);
        const ttlHours = ttlHoursOf(config[projectKey("runTtlHours")]?.value);
        return await adviseOnLock(stack.name, ttlHours, () =>
            upWithFallback(stack, recorder.log("pulumi-up.log"), recorder, signal),
        );
    } finally {
        recorder.writeJunit("junit_pulumi.xml", `k8s-ci-envs ${stack.name}`);
    }
}

/**
 * Destroys the run's stack (pulumi-destroy.log) and then `remove`s it; its own
 * junit_pulumi_destroy.xml, as it may run in another process (a job's exit trap) after `up`.
 */
export async function runDown(
    stack: Pick<Stack, "name" | "destroy">,
    recorder: RunRecorder,
    remove: () => void,
): Promise<void> {
    const log = recorder.log("pulumi-destroy.log");
    try {
        await recorder.run("pulumi destroy", async () => {
            await stack.destroy({ onOutput: log, color: COLOR });
            remove();
        });
    } finally {
        recorder.writeJunit("junit_pulumi_destroy.xml", `k8s-ci-envs ${stack.name}`);
    }
}
