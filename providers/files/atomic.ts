import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

export function sha256(text: string): string {
    return crypto.createHash("sha256").update(text).digest("hex");
}

/** Writes `content` to `file` with mode 0600, atomically (a reader never sees a partial file). */
export function writePrivateFile(file: string, content: string): void {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, content, { mode: 0o600 });
    fs.renameSync(tmp, file);
}

/** The SHA-256 of the file's content, or "missing"; providers' read records it to notice drift. */
export function fileSha256(file: string): string {
    try {
        return sha256(fs.readFileSync(file, "utf8"));
    } catch {
        return "missing";
    }
}
