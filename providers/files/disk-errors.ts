/**
 * A file-system error from writing under the stack's folder, with the folder named: Node's own
 * ENOSPC ("no space left on device, write") says neither where nor what to do.
 */
const DISK_ERRORS: Record<string, string> = {
    ENOSPC: "no space left on the device that holds it: free some, or set outputDir elsewhere",
    EDQUOT: "the disk quota is exhausted: free some, or set outputDir elsewhere",
    EROFS: "it is on a read-only file system: set outputDir to a writable folder",
    EACCES: "permission denied: set outputDir to a folder this user can write",
};

export function withFolderNamed(err: unknown, what: string, dir: string): unknown {
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    if (code === undefined || !(code in DISK_ERRORS)) {
        return err;
    }
    return new Error(`${what} could not write under ${dir}: ${DISK_ERRORS[code]} (${code})`, {
        cause: err,
    });
}
