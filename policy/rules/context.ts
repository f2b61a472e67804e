/** What the rules know of the run: the stack, its configuration, and the registry's defaults. */
import * as pulumi from "@pulumi/pulumi";
import { KEYS, PROJECT } from "../../stacks/config/keys";

type Key = keyof typeof KEYS;

/** The stack's value of `key` (from the engine's ConfigureStack), else the registry's default. */
export function setting<T>(key: Key): T {
    const config = new pulumi.Config(PROJECT);
    const spec = KEYS[key] as { type: string; default?: unknown };
    const raw = spec.type === "string" ? config.get(key) : config.getObject<unknown>(key);
    return (raw ?? spec.default) as T;
}

export function stack(): string {
    return pulumi.getStack();
}

export function isCi(): boolean {
    return setting<string>("composition") === "ci";
}
