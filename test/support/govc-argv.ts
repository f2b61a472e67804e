/**
 * How Go's flag package, as govc uses it, reads a govc argv: every flag list must end with `--`
 * before positional values, so that a name such as `-u=evil` (govc's URL flag) reaches govc as
 * a name, never as a flag.
 */

import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** A name govc would read as its URL flag. */
export const EVIL = "-u=evil";

/** govc flags that take the next argument as their value (all others here are boolean). */
const VALUE_FLAGS = new Set(
    "-vm -folder -pool -ds -net -c -m -annotation -n -size -f -e -maxdepth -dc -type -name -path -dvs -disk -g".split(
        " ",
    ),
);
const BOOL_FLAGS = new Set(["-json", "-i", "-L", "-pull", "-force", "-on", "-off"]);

/**
 * What Go's flag package would take as positional arguments before a `--` (none when the argv
 * is right), and any flag this test does not know.
 */
export function positionalsBeforeDashes(argv: string[]): string[] {
    const wrong: string[] = [];
    for (let i = 1; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--") {
            break;
        }
        if (!arg.startsWith("-")) {
            wrong.push(arg);
        } else if (VALUE_FLAGS.has(arg)) {
            i++;
        } else if (!arg.includes("=") && !BOOL_FLAGS.has(arg)) {
            wrong.push(`unknown flag ${arg}`);
        }
    }
    return wrong;
}

/** The arguments after `--`. */
export function positionals(argv: string[]): string[] {
    const at = argv.indexOf("--");
    return at < 0 ? [] : argv.slice(at + 1);
}

/** The govc on PATH, wrapped so that each argv it runs is recorded (as the real one runs it). */
export interface RecordingGovc {
    /** Every argv since the last call, in order. */
    take(): string[][];
    restore(): void;
}

export function recordGovc(): RecordingGovc {
    const real = childProcess.execFileSync("bash", ["-c", "command -v govc"]).toString().trim();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "govc-argv-"));
    const log = path.join(dir, "argv.log");
    fs.writeFileSync(
        path.join(dir, "govc"),
        `#!/usr/bin/env node
const argv = process.argv.slice(2);
require("fs").appendFileSync(${JSON.stringify(log)}, JSON.stringify(argv) + "\\n");
const run = require("child_process").spawnSync(${JSON.stringify(real)}, argv, { stdio: "inherit" });
process.exit(run.status ?? 1);
`,
        { mode: 0o755 },
    );
    const savedPath = process.env.PATH;
    process.env.PATH = `${dir}:${savedPath}`;
    return {
        take() {
            const lines = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [];
            fs.rmSync(log, { force: true });
            return lines.filter(Boolean).map((line) => JSON.parse(line) as string[]);
        },
        restore() {
            process.env.PATH = savedPath;
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}
