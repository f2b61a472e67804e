/** When a run stack's time to live (runTtlHours, counted from its first update) has passed. */
import { DEFAULTS } from "../stacks/config";

/** What the janitor knows of a run stack. */
export interface RunStackAge {
    name: string;
    /** The start of its first update; undefined for a stack never updated (nothing to destroy). */
    createdAt?: Date;
    ttlHours: number;
    /** When the run that made it said it expires (its tag); preferred to createdAt + ttlHours. */
    expiresAt?: Date;
    /** Why its teardown failed, when a run kept it for the janitor. */
    teardownFailed?: string;
}

/** Why the stack is due for the janitor at `now`, or undefined when it is not. */
export function dueBecause(stack: RunStackAge, now: Date): string | undefined {
    if (stack.teardownFailed !== undefined) {
        return `its run's teardown failed: ${stack.teardownFailed}`;
    }
    if (stack.expiresAt !== undefined && !isNaN(stack.expiresAt.getTime())) {
        return stack.expiresAt <= now
            ? `its time to live ended at ${stack.expiresAt.toISOString()} (its run's expiry)`
            : undefined;
    }
    if (stack.createdAt === undefined) {
        return undefined;
    }
    const expires = new Date(stack.createdAt.getTime() + stack.ttlHours * 3_600_000);
    return expires <= now
        ? `its time to live (${stack.ttlHours} h from ${stack.createdAt.toISOString()}) ended at ${expires.toISOString()}`
        : undefined;
}

/** The stack's runTtlHours as configured, else the default. */
export function ttlHoursOf(configured: string | undefined): number {
    const hours = Number(configured);
    return configured !== undefined && Number.isInteger(hours) && hours > 0
        ? hours
        : DEFAULTS.runTtlHours;
}
