/** Helpers shared by this project's Node dynamic providers. */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

/** Whether any part of `inputs` is still unknown (during preview), so a diff can only say "changes". */
export function hasUnknowns(inputs: unknown): boolean {
    return JSON.stringify(inputs ?? null).includes(pulumi.runtime.unknownValue);
}

/** Names of the `keys` whose values differ between `olds` and `news`. */
export function changedKeys<T extends object>(
    olds: T,
    news: T,
    keys: readonly (keyof T)[],
): (keyof T)[] {
    return keys.filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
}

/**
 * After removing `removed`, removes its parent folders that are now empty, up to and including
 * `top` (a stack's folder), so that a destroyed stack leaves no folder behind.
 */
export function removeEmptyParents(removed: string, top: string): void {
    const stop = path.dirname(path.resolve(top));
    for (
        let dir = path.dirname(path.resolve(removed));
        dir.startsWith(path.resolve(top));
        dir = path.dirname(dir)
    ) {
        if (dir === stop) {
            return;
        }
        try {
            fs.rmdirSync(dir);
        } catch {
            return; // not empty, or already gone
        }
    }
}
