/**
 * The credentials a real stack holds, found where they live rather than where the program marked
 * them secret (so a value that lost its marking is still found), and where they must not appear.
 */
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import * as yaml from "js-yaml";
import { filesUnder } from "./harness";

/** Pulumi's marker of a secret value in an exported state. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** One credential: what it is (for the failure message) and its value. */
export interface Credential {
    what: string;
    value: string;
}

/** Every string in a JSON value, a secret's plaintext (--show-secrets) parsed as JSON in turn. */
export function stringsIn(value: unknown): string[] {
    if (typeof value === "string") {
        return [value];
    }
    if (value === null || typeof value !== "object") {
        return [];
    }
    const record = value as Record<string, unknown>;
    if (record[SECRET_SIG] !== undefined && typeof record.plaintext === "string") {
        return stringsIn(JSON.parse(record.plaintext));
    }
    return Object.values(record).flatMap(stringsIn);
}

/** A string with, when it is base64 of text (a Secret's data), that text too. */
function withDecoded(text: string): string[] {
    if (text.length < 16 || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) {
        return [text];
    }
    const decoded = Buffer.from(text, "base64").toString("utf8");
    return /^[\t\n\r\x20-\x7e]+$/.test(decoded) ? [text, decoded] : [text];
}

interface KubeconfigUsers {
    users?: { name: string; user?: Record<string, unknown> }[];
}

/** The credentials of a kubeconfig's users: client keys and bearer tokens. */
function kubeconfigCredentials(text: string, where: string): Credential[] {
    let parsed: KubeconfigUsers;
    try {
        parsed = yaml.load(text) as KubeconfigUsers;
    } catch {
        return [];
    }
    return (parsed?.users ?? []).flatMap((u) =>
        (["client-key-data", "token", "password"] as const)
            .filter((field) => typeof u.user?.[field] === "string")
            .map((field) => ({
                what: `${field} of user ${u.name} in ${where}`,
                value: String(u.user![field]),
            })),
    );
}

/** The base64 lines of every private key block in `text` (PEM, OpenSSH, PGP). */
function privateKeyLines(text: string, where: string): Credential[] {
    const blocks = text.match(/-----BEGIN [A-Z ]*PRIVATE KEY[A-Z ]*-----[\s\S]*?-----END/g) ?? [];
    return blocks.flatMap((block) =>
        block
            .split("\n")
            .map((line) => line.trim())
            .filter((line) => line.length >= 40 && /^[A-Za-z0-9+/=]+$/.test(line))
            .map((line) => ({ what: `a private key line in ${where}`, value: line })),
    );
}

/** Service-account tokens (JWTs). */
function tokens(text: string, where: string): Credential[] {
    return (text.match(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g) ?? []).map(
        (value) => ({ what: `a token in ${where}`, value }),
    );
}

/** The credentials in one piece of text: kubeconfig users, private keys, tokens. */
export function credentialsIn(text: string, where: string): Credential[] {
    return withDecoded(text).flatMap((t) => [
        ...(t.includes("kind: Config") || t.includes('"kind":"Config"')
            ? kubeconfigCredentials(t, where)
            : []),
        ...privateKeyLines(t, where),
        ...tokens(t, where),
    ]);
}

/** The files below `dir` that hold text (not the clusters' etcd data), up to 1 MiB each. */
export function textFilesUnder(dir: string): string[] {
    return filesUnder(dir).filter(
        (f) => fs.statSync(f).size <= 1 << 20 && !fs.readFileSync(f).includes(0),
    );
}

/**
 * Whether a user other than the file's owner can read it: its group or others may read it, and
 * traverse every folder above it.
 */
export function readableByOthers(file: string): boolean {
    const mode = fs.statSync(file).mode;
    const folders: string[] = [];
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
        folders.push(dir);
        if (dir === path.dirname(dir)) {
            break;
        }
    }
    const reaches = (read: number, traverse: number) =>
        (mode & read) !== 0 && folders.every((d) => (fs.statSync(d).mode & traverse) !== 0);
    return reaches(0o040, 0o010) || reaches(0o004, 0o001);
}

/** One of each value, the shortest ones dropped (no credential is under 16 characters). */
export function distinct(credentials: Credential[]): Credential[] {
    const byValue = new Map<string, Credential>();
    for (const c of credentials) {
        if (c.value.length >= 16 && !byValue.has(c.value)) {
            byValue.set(c.value, c);
        }
    }
    return [...byValue.values()];
}

/** The credentials `texts` (where -> text) reveal, each a string leaf or its base64 decoding. */
export function leaks(credentials: Credential[], texts: Record<string, string[]>): string[] {
    const found: string[] = [];
    for (const [where, strings] of Object.entries(texts)) {
        const all = strings.flatMap(withDecoded);
        for (const c of credentials) {
            if (all.some((s) => s.includes(c.value))) {
                found.push(`${c.what} is in plaintext in ${where}`);
            }
        }
    }
    return found;
}

/** The CLI's automatic logs (PULUMI_HOME/logs) written since `sinceMs`: plain ones gunzipped. */
export function engineLogsSince(sinceMs: number): { file: string; text: string }[] {
    const dir = path.join(process.env.PULUMI_HOME!, "logs");
    if (!fs.existsSync(dir)) {
        return [];
    }
    return fs
        .readdirSync(dir)
        .map((f) => path.join(dir, f))
        .filter((f) => fs.statSync(f).mtimeMs >= sinceMs)
        .map((file) => {
            const raw = fs.readFileSync(file);
            // A stack's log is encrypted with its secrets manager ("PLOG"); the rest are gzip.
            let text = raw.toString("latin1");
            try {
                text = zlib.gunzipSync(raw).toString("utf8");
            } catch {
                // not gzip: searched as it is
            }
            return { file, text };
        });
}

/** The environment of a process, one VAR=value a line. */
export function environ(pid: number): string {
    try {
        return fs.readFileSync(`/proc/${pid}/environ`, "utf8").replace(/\0/g, "\n");
    } catch {
        return ""; // gone meanwhile
    }
}
