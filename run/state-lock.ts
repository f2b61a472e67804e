/**
 * The DIY backend's stack locks (pulumi/pkg/backend/diy/lock.go): one file per running update
 * under `.pulumi/locks/<org>/<project>/<stack>/` (a row of the table on postgres://), removed when
 * the update ends. An update killed with SIGKILL leaves its lock, and every later update, refresh
 * or destroy of the stack is refused until `pulumi cancel` deletes it. The CLI names each lock in
 * that refusal ("created by USER@HOST (pid N) at TIME"), on every backend alike: that is how a
 * run tells a lock older than its TTL (runTtlHours; no run lives longer) from a live update.
 */
import type { Stack } from "@pulumi/pulumi/automation";

export interface StackLock {
    /** Where the backend keeps it (credentials masked by the CLI). */
    where: string;
    owner: string;
    pid: number;
    createdAt: Date;
}

const LOCKED = /the stack is currently locked by \d+ lock\(s\)/;
const LOCK_LINE = /^\s*(\S+): created by (\S+) \(pid (\d+)\) at (\S+)\s*$/gm;

/** The locks a refused operation's error names; undefined when it was not refused for a lock. */
export function locksIn(message: string): StackLock[] | undefined {
    if (!LOCKED.test(message)) {
        return undefined;
    }
    // The Automation API's error repeats the CLI's output: each lock once.
    const locks = new Map<string, StackLock>();
    for (const [, where, owner, pid, at] of message.matchAll(LOCK_LINE)) {
        locks.set(where, { where, owner, pid: Number(pid), createdAt: new Date(at) });
    }
    return [...locks.values()];
}

const HOUR_MS = 3_600_000;

/** When a lock is older than the run's TTL, and so may be cleared. */
export function clearableAt(lock: StackLock, ttlHours: number): Date {
    return new Date(lock.createdAt.getTime() + ttlHours * HOUR_MS);
}

/** Whether every lock is older than `ttlHours` at `now` (none can be a live run's). */
export function allStale(locks: StackLock[], ttlHours: number, now: Date): boolean {
    return (
        locks.length > 0 &&
        locks.every((l) => !isNaN(l.createdAt.getTime()) && clearableAt(l, ttlHours) <= now)
    );
}

export function describeLocks(locks: StackLock[]): string {
    return locks
        .map((l) => `  ${l.owner} (pid ${l.pid}) since ${l.createdAt.toISOString()}`)
        .join("\n");
}

/** What a refused run says: who holds the stack, and the two ways to clear it. */
export function lockedAdvice(stackName: string, locks: StackLock[], ttlHours: number): string {
    const latest = Math.max(...locks.map((l) => clearableAt(l, ttlHours).getTime()));
    return [
        `stack ${stackName} is locked by another update, or by one that was killed (SIGKILL) and left its lock:`,
        describeLocks(locks),
        `If no update of it is running, clear the lock with \`hack/run pulumi cancel --stack ${stackName} --yes\`;`,
        `\`hack/run ci unlock --stack ${stackName}\` clears it once it is older than the run's runTtlHours (${ttlHours} h: from ${new Date(latest).toISOString()}).`,
    ].join("\n");
}

/** An operation refused because the stack is locked, with what to do about it. */
export class StackLockedError extends Error {
    constructor(
        readonly stackName: string,
        readonly locks: StackLock[],
        ttlHours: number,
        cause: string,
    ) {
        super(`${lockedAdvice(stackName, locks, ttlHours)}\n\n${cause}`);
    }
}

/** Runs `operation`; a refusal for a lock becomes a StackLockedError that says how to clear it. */
export async function adviseOnLock<T>(
    stackName: string,
    ttlHours: number,
    operation: () => Promise<T>,
): Promise<T> {
    try {
        return await operation();
    } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        const locks = locksIn(message);
        throw locks ? new StackLockedError(stackName, locks, ttlHours, message) : err;
    }
}

/**
 * The stack's locks, as the CLI reports them: `pulumi stack init` of an existing stack takes the
 * stack's lock before it finds the stack exists, so it is refused by any lock and otherwise
 * changes nothing (its own lock lasts a moment).
 */
export async function stackLocks(stack: Pick<Stack, "name" | "workspace">): Promise<StackLock[]> {
    try {
        await stack.workspace.createStack(stack.name);
    } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        const locks = locksIn(message);
        if (locks) {
            return locks;
        }
        if (/already exists/.test(message)) {
            return [];
        }
        throw err;
    }
    throw new Error(`stack ${stack.name} did not exist (it does now, empty)`);
}

export type UnlockResult =
    { cleared: false; locks: StackLock[]; why: string } | { cleared: true; locks: StackLock[] };

/**
 * Clears the stack's locks (`pulumi cancel`) when every one is older than `ttlHours`: a lock
 * that young may be a live run's update, which is never cancelled.
 */
export async function clearStaleLocks(
    stack: Pick<Stack, "name" | "workspace" | "cancel">,
    ttlHours: number,
    now: Date,
    known?: StackLock[],
): Promise<UnlockResult> {
    const locks = known ?? (await stackLocks(stack));
    if (locks.length === 0) {
        return { cleared: false, locks, why: "it is not locked" };
    }
    if (!allStale(locks, ttlHours, now)) {
        return {
            cleared: false,
            locks,
            why: `a lock is younger than runTtlHours (${ttlHours} h), so it may be a live update`,
        };
    }
    await stack.cancel();
    return { cleared: true, locks };
}
