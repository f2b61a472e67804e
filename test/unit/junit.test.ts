import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as fc from "fast-check";
import { junitXml, xmlText } from "../../run/junit";
import { parseJunit } from "../support/junit-parse";

function parsed(xml: string) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "junit-"));
    try {
        const file = path.join(dir, "junit_pulumi.xml");
        fs.writeFileSync(file, xml);
        return parseJunit(file);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

describe("JUnit for Prow", () => {
    it("writes one testcase per step, failures with their message, escaped", () => {
        const failure =
            "\x1b[31merror:\x1b[0m <gcp:compute/instance:Instance> \"capo-e2e-controller\" & 'worker' ]]> failed\nsecond line";
        const xml = junitXml("k8s-ci-envs ci-<job>&1", [
            { name: "pulumi preview", seconds: 1.5 },
            { name: 'pulumi up (controller "a" <&> b)', seconds: 2, failure },
            { name: "pulumi destroy", seconds: 0.25, skipped: "retried" },
        ]);
        expect(xml).not.toContain("\x1b");
        expect(parsed(xml)).toEqual([
            {
                name: "k8s-ci-envs ci-<job>&1",
                tests: "3",
                failures: "1",
                skipped: "1",
                cases: [
                    { name: "pulumi preview", classname: "k8s-ci-envs ci-<job>&1" },
                    {
                        name: 'pulumi up (controller "a" <&> b)',
                        classname: "k8s-ci-envs ci-<job>&1",
                        failure: {
                            message:
                                "[31merror:[0m <gcp:compute/instance:Instance> \"capo-e2e-controller\" & 'worker' ]]> failed",
                            text: "[31merror:[0m <gcp:compute/instance:Instance> \"capo-e2e-controller\" & 'worker' ]]> failed\nsecond line",
                        },
                    },
                    {
                        name: "pulumi destroy",
                        classname: "k8s-ci-envs ci-<job>&1",
                        skipped: { message: "retried", text: "retried" },
                    },
                ],
            },
        ]);
    });

    it("keeps any text well-formed and unchanged but for what XML cannot hold", () => {
        fc.assert(
            fc.property(fc.string({ unit: "binary", maxLength: 60 }), (text) => {
                const [suite] = parsed(junitXml("s", [{ name: text, seconds: 0, failure: text }]));
                // eslint-disable-next-line no-control-regex -- what XML 1.0 cannot hold
                const holdable = text.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g, "");
                expect(suite.cases[0].name).toBe(holdable);
                expect(suite.cases[0].failure?.text).toBe(holdable);
            }),
            { numRuns: 30 },
        );
    });

    it("escapes markup", () => {
        expect(xmlText(`<a href="x">'&'</a>`)).toBe(
            "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;",
        );
    });
});
