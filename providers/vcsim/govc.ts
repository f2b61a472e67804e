import * as childProcess from "child_process";

/** A vCenter govc talks to; credentials travel in govc's environment, never its argv. */
export interface GovcTarget {
    /** https://host:port/sdk */
    url: string;
    username: string;
    password: string;
}

/** govc's environment: no session files written to ~/.govmomi, self-signed certificates allowed. */
export function govcEnv(target: GovcTarget): NodeJS.ProcessEnv {
    return {
        ...process.env,
        GOVC_URL: target.url,
        GOVC_USERNAME: target.username,
        GOVC_PASSWORD: target.password,
        GOVC_INSECURE: "true",
        GOVC_PERSIST_SESSION: "false",
    };
}

/** Runs govc and returns its stdout; the error names the command and carries govc's stderr. */
export function govc(target: GovcTarget, args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
        childProcess.execFile(
            "govc",
            args,
            { env: govcEnv(target), maxBuffer: 64 * 1024 * 1024 },
            (err, stdout, stderr) => {
                if (err) {
                    const detail = (stderr || err.message).split(target.password).join("***");
                    reject(new Error(`govc ${args.join(" ")}: ${detail.trim()}`));
                    return;
                }
                resolve(stdout);
            },
        );
    });
}

/** Runs govc commands one after the other. */
export async function govcAll(target: GovcTarget, commands: string[][]): Promise<void> {
    for (const args of commands) {
        await govc(target, args);
    }
}
