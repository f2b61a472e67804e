/**
 * How a run's cancellation reaches a wait inside a provider. The engine's graceful cancel (the
 * CLI's first SIGINT) waits for in-flight operations, and the Node dynamic provider host answers
 * the provider Cancel RPC with nothing (@pulumi/pulumi cmd/dynamic-provider), so a provider's own
 * poll never hears of it. The CI run flow therefore names a marker file in
 * K8S_CI_ENVS_CANCEL_FILE for the engine's processes (providers inherit the CLI's environment),
 * and writes the signal's name into it on the first signal; every wait checks it each poll.
 */
import * as fs from "fs";

export const CANCEL_FILE_ENV = "K8S_CI_ENVS_CANCEL_FILE";

/**
 * A cancelled wait's error: a plain Error, marked. (No Error subclass: Pulumi's closure
 * serialization of the provider turns a class into a function that Error.call leaves without
 * its message.)
 */
export function cancelledError(message: string): Error {
    return Object.assign(new Error(message), { cancelled: true });
}

export function isCancelled(err: unknown): err is Error {
    return err instanceof Error && (err as { cancelled?: unknown }).cancelled === true;
}

/** Why the run was cancelled (the marker's content, such as SIGTERM), or undefined. */
export function cancelReason(env: NodeJS.ProcessEnv = process.env): string | undefined {
    const file = env[CANCEL_FILE_ENV];
    if (file === undefined || file === "") {
        return undefined;
    }
    try {
        return fs.readFileSync(file, "utf8").trim() || "a signal";
    } catch {
        return undefined;
    }
}

/** Throws `cancelled by <reason>` once the run is cancelled. */
export function throwIfCancelled(what: string): void {
    const reason = cancelReason();
    if (reason !== undefined) {
        throw cancelledError(`${what}: cancelled by ${reason}`);
    }
}

/** Sleeps `ms`, checking the marker every `checkMs`; throws as soon as the run is cancelled. */
export async function pause(ms: number, what: string, checkMs = 500): Promise<void> {
    const end = Date.now() + ms;
    throwIfCancelled(what);
    for (let left = ms; left > 0; left = end - Date.now()) {
        await new Promise((r) => setTimeout(r, Math.min(checkMs, left)));
        throwIfCancelled(what);
    }
}
