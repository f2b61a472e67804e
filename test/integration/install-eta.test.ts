import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "../support/harness";

jest.setTimeout(10 * 60 * 1000);

const REAL_CACHE =
    process.env.K8S_CI_ENVS_CACHE ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "k8s-ci-envs");
/** The tools this test builds: supervise from a cold Go build cache, and kwok after it. */
const COLD = ["supervise", "kwok"];

/**
 * A copy of the clone's install (hack/, the project's and the policy pack's package files,
 * node_modules linked) on a cache that links every tool of the real one but `cold`, so that
 * hack/tools/bin and the real cache stay untouched; its build-times holds known expectations. `shared` puts a second clone on the
 * cache of a first.
 */
function sandbox(cold = COLD, shared?: { cache: string }) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "install-eta-"));
    const root = path.join(dir, "clone");
    const cache = shared?.cache ?? path.join(dir, "cache");
    fs.cpSync(path.join(ROOT, "hack"), path.join(root, "hack"), {
        recursive: true,
        filter: (src) => src !== path.join(ROOT, "hack/tools/bin"),
    });
    // The project's npm packages and the policy pack's, each as the clone installed them.
    for (const dir of [".", "policy"]) {
        fs.mkdirSync(path.join(root, dir), { recursive: true });
        for (const file of ["package.json", "package-lock.json"]) {
            fs.copyFileSync(path.join(ROOT, dir, file), path.join(root, dir, file));
        }
        fs.symlinkSync(path.join(ROOT, dir, "node_modules"), path.join(root, dir, "node_modules"));
    }
    if (!shared) {
        fs.mkdirSync(path.join(cache, "tools"), { recursive: true });
        fs.symlinkSync(path.join(REAL_CACHE, "node"), path.join(cache, "node"));
        for (const entry of fs.readdirSync(path.join(REAL_CACHE, "tools"))) {
            if (
                /^[a-z]/.test(entry) &&
                entry !== "build-times" &&
                !cold.some((t) => entry.startsWith(`${t}-`))
            ) {
                fs.symlinkSync(
                    path.join(REAL_CACHE, "tools", entry),
                    path.join(cache, "tools", entry),
                );
            }
        }
        fs.writeFileSync(
            path.join(cache, "tools", "build-times"),
            "supervise 20 100\nkwok 600 681\n",
        );
    }
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        K8S_CI_ENVS_CACHE: cache,
        GOCACHE: path.join(dir, "gocache"), // cold: supervise compiles the standard library too
        K8S_CI_ENVS_PROGRESS_SECONDS: "1",
    };
    delete env.PULUMI_BACKEND_URL;
    delete env.PULUMI_HOME;
    return { dir, root, cache, env };
}

/** hack/tools/eta.sh's build_eta, whose arithmetic test/unit/tools/build-eta.test.ts checks. */
function buildEta(...args: string[]): string {
    return childProcess
        .execFileSync(
            "bash",
            ["-c", '. "$0"; build_eta "$@"', path.join(ROOT, "hack/tools/eta.sh"), ...args],
            { stdio: ["ignore", "pipe", "pipe"] },
        )
        .toString()
        .trim();
}

/** Runs the sandbox's install until it exits, or until its stderr shows `stopAt` (then killed). */
function install(box: ReturnType<typeof sandbox>, stopAt?: string): Promise<string> {
    return new Promise((resolve, reject) => {
        const child = childProcess.spawn(path.join(box.root, "hack/tools/install"), [], {
            env: box.env,
            detached: true,
            stdio: ["ignore", "ignore", "pipe"],
        });
        let stderr = "";
        child.stderr.on("data", (chunk: Buffer) => {
            stderr += chunk.toString();
            if (stopAt !== undefined && stderr.includes(stopAt)) {
                process.kill(-child.pid!, "SIGKILL");
            }
        });
        child.on("error", reject);
        child.on("close", () => resolve(stderr));
    });
}

describe("hack/tools/install's expected remaining build time", () => {
    let box: ReturnType<typeof sandbox>;
    beforeAll(() => (box = sandbox()));
    afterAll(() => fs.rmSync(box.dir, { recursive: true, force: true }));

    it("prints it as a build goes, for the tool and the whole toolchain, and records the build", async () => {
        const stderr = await install(box, "[tools] building kwok");
        // supervise's expected 20 s, and kwok's 600 s after it.
        expect(stderr).toMatch(
            /\[tools\] building supervise \(key \w+\): about 1 min left for this tool, 11 min for the whole toolchain\n/,
        );
        const progress = [
            ...stderr.matchAll(
                /\.\.\. (\d+) packages compiled, \d+ modules downloaded, (\d+)s; (about (\d+) min left for this tool, (\d+) min for the whole toolchain)/g,
            ),
        ];
        expect(progress.length).toBeGreaterThan(0);
        expect(progress.some((m) => Number(m[1]) > 0)).toBe(true);
        for (const [, compiled, elapsed, estimate, left, whole] of progress) {
            // From supervise's progress and expectation, with kwok's 600 s after it.
            expect(estimate).toBe(buildEta(elapsed, compiled, "20", "100", "600"));
            expect(Number(whole)).toBeGreaterThanOrEqual(Number(left));
        }

        // The measured build replaces supervise's expectation; kwok's is untouched.
        const built = Number(/\[tools\] built supervise in (\d+)s/.exec(stderr)![1]);
        const [dirName] = fs
            .readdirSync(path.join(box.cache, "tools"))
            .filter((e) => e.startsWith("supervise-"));
        const log = fs.readFileSync(path.join(box.cache, "tools", dirName, "build.log"), "utf8");
        const packages = log.split("\n").filter((l) => l && !l.startsWith("go: downloading"));
        expect(packages.length).toBeGreaterThan(20);
        const times = fs.readFileSync(path.join(box.cache, "tools", "build-times"), "utf8");
        const [, seconds, recorded] = /^supervise (\d+) (\d+)$/m.exec(times)!.map(Number);
        expect(recorded).toBe(packages.length);
        expect(seconds).toBeLessThanOrEqual(built);
        expect(times).toMatch(/^kwok 600 681$/m);
    });

    it("prints nothing of the kind, and records nothing, when every tool is cached", async () => {
        for (const entry of fs.readdirSync(path.join(REAL_CACHE, "tools"))) {
            if (entry.startsWith("kwok-")) {
                fs.symlinkSync(
                    path.join(REAL_CACHE, "tools", entry),
                    path.join(box.cache, "tools", entry),
                );
            }
        }
        const times = fs.readFileSync(path.join(box.cache, "tools", "build-times"), "utf8");
        const stderr = await install(box);
        expect(stderr).not.toMatch(/building|min left/);
        expect(stderr).toMatch(/toolchain ready/);
        expect(fs.readFileSync(path.join(box.cache, "tools", "build-times"), "utf8")).toBe(times);
    });
});

describe("two clones running hack/tools/install at once on one cache", () => {
    const boxes: ReturnType<typeof sandbox>[] = [];
    afterAll(() => boxes.forEach((box) => fs.rmSync(box.dir, { recursive: true, force: true })));

    it("both end ready, with one whole copy of each tool they built in the cache", async () => {
        const first = sandbox(["supervise"]);
        const second = sandbox(["supervise"], first);
        boxes.push(first, second);
        // One Go build cache, so that both compile at the same time rather than one after the other.
        second.env.GOCACHE = first.env.GOCACHE;
        const [a, b] = await Promise.all([install(first), install(second)]);
        expect(a).toMatch(/toolchain ready/);
        expect(b).toMatch(/toolchain ready/);
        expect(`${a}${b}`.match(/\[tools\] building supervise/g)).toHaveLength(2);

        const tools = fs.readdirSync(path.join(first.cache, "tools"));
        expect(tools.filter((e) => e.startsWith("supervise-"))).toHaveLength(1);
        expect(tools.filter((e) => e.startsWith("."))).toEqual([]); // no half-written build
        const [bin] = [first, second].map((box) =>
            fs.realpathSync(path.join(box.root, "hack/tools/bin/supervise")),
        );
        for (const box of [first, second]) {
            expect(fs.realpathSync(path.join(box.root, "hack/tools/bin/supervise"))).toBe(bin);
        }
        expect(fs.statSync(bin).mode & 0o111).not.toBe(0);
        const times = fs.readFileSync(path.join(first.cache, "tools", "build-times"), "utf8");
        expect(times.split("\n").filter((l) => l !== "")).toEqual(
            expect.arrayContaining([expect.stringMatching(/^kwok 600 681$/)]),
        );
        for (const line of times.split("\n").filter((l) => l !== "")) {
            expect(line).toMatch(/^[a-z-]+ \d+ \d+$/);
        }
    });
});
