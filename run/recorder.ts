/**
 * What a CI run leaves in $ARTIFACTS besides the preview: each step's engine output, tee'd to a
 * log while it streams to stdout, and each step as a JUnit testcase. Without $ARTIFACTS (a run
 * outside Prow) output only streams.
 */
import * as fs from "fs";
import * as path from "path";
import { junitXml, TestCase } from "./junit";

/** Runs a named step of a run (a testcase); `retried` says the last failure was recovered from. */
export interface Steps {
    run<T>(name: string, step: () => Promise<T>): Promise<T>;
    retried(why: string): void;
}

/** Steps that are only run. */
export const UNRECORDED: Steps = { run: (_name, step) => step(), retried: () => undefined };

export class RunRecorder implements Steps {
    readonly cases: TestCase[] = [];

    constructor(
        readonly dir: string | undefined,
        private readonly out: (text: string) => void = (text) => process.stdout.write(text),
        private readonly now: () => number = Date.now,
    ) {}

    /** A sink for engine output: to stdout, and to `$ARTIFACTS/<file>` (started afresh) when given. */
    log(file?: string): (text: string) => void {
        const target = file === undefined ? undefined : this.path(file);
        if (target !== undefined) {
            fs.writeFileSync(target, "");
        }
        return (text) => {
            this.out(text);
            if (target !== undefined) {
                fs.appendFileSync(target, text);
            }
        };
    }

    async run<T>(name: string, step: () => Promise<T>): Promise<T> {
        const start = this.now();
        const seconds = () => (this.now() - start) / 1000;
        try {
            const result = await step();
            this.cases.push({ name, seconds: seconds() });
            return result;
        } catch (err) {
            this.cases.push({ name, seconds: seconds(), failure: errorText(err) });
            throw err;
        }
    }

    retried(why: string): void {
        const last = this.cases[this.cases.length - 1];
        if (last?.failure !== undefined) {
            last.skipped = `${why}\n${last.failure}`;
            delete last.failure;
        } else if (last?.skipped !== undefined) {
            last.skipped = `${why}\n${last.skipped}`;
        }
    }

    /** Writes `$ARTIFACTS/<file>`, if there is $ARTIFACTS. */
    write(file: string, text: string): void {
        const target = this.path(file);
        if (target !== undefined) {
            fs.writeFileSync(target, text);
        }
    }

    /** Writes the steps so far as `$ARTIFACTS/<file>`, a JUnit suite named `suite`. */
    writeJunit(file: string, suite: string): void {
        this.write(file, junitXml(suite, this.cases));
    }

    private path(file: string): string | undefined {
        if (this.dir === undefined || this.dir === "") {
            return undefined;
        }
        fs.mkdirSync(this.dir, { recursive: true });
        return path.join(this.dir, file);
    }
}

function errorText(err: unknown): string {
    return err instanceof Error ? err.message : String(err);
}
