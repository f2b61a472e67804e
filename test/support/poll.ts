/** Waiting in tests for something observable, never for a fixed time. */

/** Resolves once `check` holds, polling every `everyMs`; fails, naming `what`, after `ms`. */
export async function until(
    check: () => boolean | Promise<boolean>,
    what: string,
    ms = 60_000,
    everyMs = 250,
): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await check())) {
        if (Date.now() > deadline) {
            throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
        }
        await new Promise((r) => setTimeout(r, everyMs));
    }
}
