/**
 * A run stack whose teardown failed is kept and tagged for the janitor, which destroys a tagged
 * stack whatever its time to live.
 */
import type { Stack } from "@pulumi/pulumi/automation";

export const TEARDOWN_FAILED_TAG = "k8s-ci-envs:teardown-failed";

export async function markTeardownFailed(stack: Stack, why: string): Promise<void> {
    const firstLine = why.split("\n").find((l) => l.trim() !== "") ?? "failed";
    await stack.workspace.setTag(stack.name, TEARDOWN_FAILED_TAG, firstLine.slice(0, 200));
}
