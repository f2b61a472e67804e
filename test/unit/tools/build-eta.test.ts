import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ETA = path.resolve(__dirname, "../../../hack/tools/eta.sh");

/** Runs `script` in bash with hack/tools/eta.sh sourced and CACHE set; returns stdout. */
function eta(script: string, cache = "/nonexistent"): string {
    return childProcess.execFileSync("bash", ["-c", `set -euo pipefail; . "$0"; ${script}`, ETA], {
        env: { PATH: process.env.PATH, CACHE: cache },
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"], // a socket on stdin makes bash read ~/.bashrc
    });
}

/** build_eta ELAPSED COMPILED SECONDS PACKAGES LATER, as the progress lines print it. */
const buildEta = (...args: number[]) => eta(`build_eta ${args.join(" ")}`).trim();

describe("hack/tools/eta.sh, the remaining build time install's progress lines print", () => {
    // [what, [ELAPSED, COMPILED, SECONDS, PACKAGES, LATER], minutes left for the tool, in all]
    it.each<[string, number[], number, number]>([
        // Half the packages in 100 s: 100 s more; the later 300 s at the expected pace.
        ["extrapolates the tool at the observed rate", [100, 500, 200, 1000, 300], 2, 7],
        // Half in 200 s, twice the expected 100 s: 200 s more, and the later 300 s become 600 s.
        ["scales the later builds when slower than expected", [200, 500, 200, 1000, 300], 4, 14],
        // Half in a quarter of the expected time: 25 s more, and the later 600 s become 300 s.
        ["and when faster", [25, 500, 100, 1000, 600], 1, 6],
        // Below 2% of the packages, the expectation alone: 205 s, then 419 s.
        ["goes by the expectation alone at first", [0, 0, 205, 1731, 419], 4, 11],
        ["and below 2% of the packages", [20, 10, 200, 1000, 300], 3, 8],
        // Never a negative time, nor under a minute.
        ["says a minute once the packages expected are compiled", [300, 1200, 200, 1000, 0], 1, 1],
        ["and once past the expected time", [900, 10, 200, 1000, 0], 1, 1],
        // A warm-cache expectation (1 s, 1 package) for a cold build of 73 packages in 75 s:
        // the later 107 s are scaled 5 times at most, not 75 times.
        ["bounds the scaling when the expectation is far off", [75, 73, 1, 1, 107], 1, 9],
        // Nor less than a quarter: 100 s of 1000 expected, done, leave a quarter of the 800 s.
        ["and when far faster than expected", [100, 1000, 1000, 1000, 800], 1, 4],
    ])("%s", (_, args, left, total) => {
        expect(buildEta(...args)).toBe(
            `about ${left} min left for this tool, ${total} min for the whole toolchain`,
        );
    });

    it("has no estimate for a tool without one, but still counts the rest", () => {
        expect(buildEta(30, 5, 0, 0, 600)).toBe(
            "no estimate for this tool yet (its first build records one), about 10 min for the rest of the toolchain",
        );
    });

    describe("the expectations in the cache", () => {
        let cache: string;
        beforeEach(() => {
            cache = fs.mkdtempSync(path.join(os.tmpdir(), "build-eta-"));
            fs.mkdirSync(path.join(cache, "tools"));
        });
        afterEach(() => fs.rmSync(cache, { recursive: true, force: true }));

        const buildLog = (packages: number, downloads = 0) => {
            const file = path.join(cache, "build.log");
            const lines = [
                ...Array.from({ length: downloads }, (_, i) => `go: downloading m${i} v1.0.0`),
                ...Array.from({ length: packages }, (_, i) => `example.com/p${i}`),
            ];
            fs.writeFileSync(file, lines.join("\n") + "\n");
            return file;
        };
        const expectation = (tool: string) => eta(`build_expectation ${tool}`, cache).trim();

        it("ships a default for every tool install builds, and none for another", () => {
            const install = fs.readFileSync(path.resolve(ETA, "../install"), "utf8");
            const built = [...install.matchAll(/\$\(build_tool ([\w-]+) /g)].map((m) => m[1]);
            expect(built.length).toBeGreaterThanOrEqual(9);
            for (const tool of built) {
                expect([tool, expectation(tool)]).toEqual([
                    tool,
                    expect.stringMatching(/^\d+ \d+$/),
                ]);
            }
            expect(expectation("kube")).toBe("381 2441");
            expect(expectation("not-a-tool")).toBe("");
        });

        it("records a full build's time and packages (downloads aside), which then come first", () => {
            eta(`record_build_time kube 700 ${buildLog(2300, 40)}`, cache);
            expect(expectation("kube")).toBe("700 2300");
            eta(`record_build_time kube 650 ${buildLog(2400)}`, cache);
            expect(expectation("kube")).toBe("650 2400");
            expect(expectation("kwok")).toBe("107 681");
            expect(fs.readFileSync(path.join(cache, "tools", "build-times"), "utf8")).toBe(
                "kube 650 2400\n",
            );
        });

        it("ignores a rebuild on a warm build cache, which compiles a few packages", () => {
            eta(`record_build_time kube 12 ${buildLog(5)}`, cache);
            expect(expectation("kube")).toBe("381 2441");
            eta(`record_build_time new-tool 12 ${buildLog(5)}`, cache);
            expect(expectation("new-tool")).toBe("12 5");
        });
    });
});
