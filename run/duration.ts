/** Durations in the run's environment, as Boskos's own flags take them (Go's time.ParseDuration). */

const UNIT_MS: Record<string, number> = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
};

const GO_DURATION = /^(?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/;
const PART = /(\d+\.?\d*|\.\d+)(ns|us|µs|ms|s|m|h)/g;

/**
 * Milliseconds of `text`: a Go duration (`30m`, `1h30m`, `1.5h`, `90s`) or a number of seconds
 * (`1800`). Anything else, or a negative duration, is refused naming `name`.
 */
export function parseDuration(text: string, name: string): number {
    const value = text.trim();
    if (/^\d+(?:\.\d+)?$/.test(value)) {
        return Number(value) * 1000;
    }
    if (!GO_DURATION.test(value)) {
        throw new Error(
            `${name}=${JSON.stringify(text)}: must be a Go duration (such as 30m, 1h30m or 90s) or a number of seconds`,
        );
    }
    let ms = 0;
    for (const [, amount, unit] of value.matchAll(PART)) {
        ms += Number(amount) * UNIT_MS[unit];
    }
    return ms;
}

/** `ms` as Go prints a duration, to the second: 30m0s, 1h30m0s, 45s. */
export function formatDuration(ms: number): string {
    const total = Math.round(ms / 1000);
    const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
    return h > 0 ? `${h}h${m}m${s}s` : m > 0 ? `${m}m${s}s` : `${s}s`;
}
