import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** A vCenter govc talks to; credentials travel in govc's environment, never its argv. */
export interface GovcTarget {
    /** https://host:port/sdk */
    url: string;
    username: string;
    password: string;
    /**
     * SHA-256 (or SHA-1) colon-hex thumbprint of the vCenter's certificate, which govc then
     * verifies. Without one, any certificate is accepted.
     */
    thumbprint?: string;
    /** Datacenter in which relative inventory paths resolve (GOVC_DATACENTER). */
    datacenter?: string;
}

/** govc's environment: no session files written to ~/.govmomi, the vCenter's certificate pinned. */
export function govcEnv(target: GovcTarget, knownHosts?: string): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        GOVC_URL: target.url,
        GOVC_USERNAME: target.username,
        GOVC_PASSWORD: target.password,
        GOVC_PERSIST_SESSION: "false",
    };
    delete env.GOVC_DATACENTER;
    if (target.datacenter) {
        env.GOVC_DATACENTER = target.datacenter;
    }
    if (knownHosts) {
        env.GOVC_TLS_KNOWN_HOSTS = knownHosts;
        delete env.GOVC_INSECURE;
    } else {
        env.GOVC_INSECURE = "true";
    }
    return env;
}

/** What govc failing throws: `stderr` is govc's own message, with the password masked. */
export interface GovcError extends Error {
    stderr: string;
}

/**
 * A plain Error carrying govc's stderr: dynamic providers serialize their code, and a serialized
 * subclass of Error loses its message.
 */
function govcError(args: string[], stderr: string): GovcError {
    return Object.assign(new Error(`govc ${args.join(" ")}: ${stderr}`), { stderr });
}

export function isGovcError(err: unknown): err is GovcError {
    return err instanceof Error && typeof (err as Partial<GovcError>).stderr === "string";
}

/** Runs govc and returns its stdout; the error names the command and carries govc's stderr. */
export async function govc(target: GovcTarget, args: string[]): Promise<string> {
    const dir = target.thumbprint ? knownHostsDir(target) : undefined;
    try {
        return await run(target, args, dir && path.join(dir, "known_hosts"));
    } finally {
        if (dir) {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    }
}

/** Runs a govc command with `-json` and parses its output. */
export async function govcJson<T>(target: GovcTarget, args: string[]): Promise<T> {
    const [command, ...rest] = args;
    return JSON.parse(await govc(target, [command, "-json", ...rest])) as T;
}

/** Runs govc commands one after the other. */
export async function govcAll(target: GovcTarget, commands: string[][]): Promise<void> {
    for (const args of commands) {
        await govc(target, args);
    }
}

function run(target: GovcTarget, args: string[], knownHosts?: string): Promise<string> {
    return new Promise((resolve, reject) => {
        childProcess.execFile(
            "govc",
            args,
            { env: govcEnv(target, knownHosts), maxBuffer: 64 * 1024 * 1024 },
            (err, stdout, stderr) => {
                if (err) {
                    const detail = (stderr || err.message).split(target.password).join("***");
                    reject(govcError(args, detail.trim()));
                    return;
                }
                resolve(stdout);
            },
        );
    });
}

/** A private folder holding the known_hosts file that pins the vCenter's thumbprint. */
function knownHostsDir(target: GovcTarget): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "k8s-ci-envs-govc-"));
    const host = new URL(target.url).host;
    const address = host.includes(":") ? host : `${host}:443`;
    fs.writeFileSync(
        path.join(dir, "known_hosts"),
        `${address} ${target.thumbprint!.toUpperCase()}\n`,
        { mode: 0o600 },
    );
    return dir;
}
