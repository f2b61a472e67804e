/**
 * What the janitor reads from the backend, as stack tags: when a run's stack expires (its
 * runTtlHours from the run's start), and that its teardown failed (then it is destroyed whatever
 * its time to live). Tags live with the state, so a janitor on another machine, with none of the
 * run's Pulumi.<stack>.yaml, sees them.
 */
import type { ConfigValue, Stack } from "@pulumi/pulumi/automation";
import { ttlHoursOf } from "./expiry";
import { projectKey } from "./run-config";

export const TEARDOWN_FAILED_TAG = "k8s-ci-envs:teardown-failed";
export const EXPIRES_AT_TAG = "k8s-ci-envs:expires-at";

/** Tags the stack with its expiry: `now` plus the configuration's runTtlHours. */
export async function markExpiry(
    stack: Pick<Stack, "name" | "workspace">,
    config: Record<string, ConfigValue>,
    now = new Date(),
): Promise<Date> {
    const ttlHours = ttlHoursOf(config[projectKey("runTtlHours")]?.value);
    const expiresAt = new Date(now.getTime() + ttlHours * 3_600_000);
    await stack.workspace.setTag(stack.name, EXPIRES_AT_TAG, expiresAt.toISOString());
    return expiresAt;
}

export async function markTeardownFailed(stack: Stack, why: string): Promise<void> {
    const firstLine = why.split("\n").find((l) => l.trim() !== "") ?? "failed";
    await stack.workspace.setTag(stack.name, TEARDOWN_FAILED_TAG, firstLine.slice(0, 200));
}
