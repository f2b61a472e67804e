import { casesOf, JestResults, kindOf, renderReport } from "../../../hack/report/reliability";

const results: JestResults = {
    startTime: Date.UTC(2026, 11, 3, 17, 0, 0),
    numTotalTests: 4,
    testResults: [
        {
            name: "/repo/test/integration/local-stack.test.ts",
            assertionResults: [
                {
                    fullName: "the local stack keeps every credential out of the state",
                    status: "passed",
                    duration: 1500,
                },
                {
                    fullName: "bad configuration is refused at preview, naming the key",
                    status: "failed",
                    duration: 200,
                },
            ],
        },
        {
            name: "/repo/test/integration/vcsim-read.test.ts",
            assertionResults: [
                {
                    fullName: "a simulator restarts a killed vcsim | on the same port",
                    status: "passed",
                    duration: null,
                },
                { fullName: "a simulator is created healthy", status: "pending" },
            ],
        },
    ],
};

describe("the reliability report", () => {
    it("puts each case under the kind of trust it measures, the rest under lifecycle", () => {
        expect(kindOf("refuses, at preview, a build cluster with 2 control-plane nodes")).toBe(
            "bad input",
        );
        expect(kindOf("on SIGTERM while the watch waits, stops the wait")).toBe("faults");
        expect(kindOf("a backend that goes away mid-update: no password anywhere")).toBe("faults");
        expect(kindOf("runs beside another stack's simulator")).toBe("concurrency");
        expect(kindOf("shows zero changes on a second preview")).toBe("idempotency");
        expect(kindOf("leaves no process, port or file behind on destroy")).toBe("teardown");
        expect(kindOf("comes up with a running simulator")).toBe("lifecycle");
    });

    it("counts cases, passes and failures per kind, with each case's file, result and time", () => {
        const cases = casesOf(results, "/repo");
        const md = renderReport(cases, { date: new Date(results.startTime), commit: "abc1234" });
        expect(md).toContain("2026-12-03T17:00:00.000Z, commit abc1234");
        expect(md).toContain("| secrets | 1 | 1 | 0 | 0 |");
        expect(md).toContain("| bad input | 1 | 0 | 1 | 0 |");
        expect(md).toContain("| lifecycle | 1 | 0 | 0 | 1 |");
        expect(md).toContain("| **all** | 4 | 2 | 1 | 1 |");
        expect(md).toContain(
            "| a simulator restarts a killed vcsim \\| on the same port | test/integration/vcsim-read.test.ts | passed | 0.0 |",
        );
        expect(md).toContain("| test/integration/local-stack.test.ts | failed | 0.2 |");
    });
});
