/**
 * JUnit XML for Prow: Spyglass shows each `$ARTIFACTS/junit*.xml` testcase, with a failure's
 * message, on the job's page.
 */

/** One step of a run, as a testcase. */
export interface TestCase {
    name: string;
    seconds: number;
    /** Why the step failed. */
    failure?: string;
    /** Why a step that failed does not fail the run (it was retried). */
    skipped?: string;
}

/** What XML 1.0 cannot hold at all: control characters (a colour escape's among them) and such. */
// eslint-disable-next-line no-control-regex -- matching them is the point
const NOT_XML = /[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/** `text` as XML character data or attribute value: markup escaped, what XML cannot hold removed. */
export function xmlText(text: string): string {
    return text
        .replace(NOT_XML, "")
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(/"/g, "&quot;")
        .replace(/'/g, "&apos;")
        .replace(/\r/g, "&#13;");
}

/** `text` as an attribute value, whose tabs and line breaks a parser would otherwise make spaces. */
function xmlAttribute(text: string): string {
    return xmlText(text).replace(/\t/g, "&#9;").replace(/\n/g, "&#10;");
}

/** The first line of a message, short enough for an attribute Spyglass shows as a title. */
function headline(text: string): string {
    const line = text.trim().split("\n")[0] ?? "";
    return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

function outcome(tag: "failure" | "skipped", text: string): string {
    return `\n      <${tag} message="${xmlAttribute(headline(text))}">${xmlText(text)}</${tag}>\n    `;
}

/** A JUnit document of one suite `suite` holding `cases` in order. */
export function junitXml(suite: string, cases: TestCase[]): string {
    const count = (pick: (c: TestCase) => unknown) => cases.filter(pick).length;
    const seconds = cases.reduce((sum, c) => sum + c.seconds, 0);
    const attrs = (values: Record<string, string | number>) =>
        Object.entries(values)
            .map(([k, v]) => `${k}="${xmlAttribute(String(v))}"`)
            .join(" ");
    const testcases = cases.map((c) => {
        const body =
            c.failure !== undefined
                ? outcome("failure", c.failure)
                : c.skipped !== undefined
                  ? outcome("skipped", c.skipped)
                  : "";
        const open = `    <testcase ${attrs({ classname: suite, name: c.name, time: c.seconds.toFixed(3) })}`;
        return body === "" ? `${open}/>` : `${open}>${body}</testcase>`;
    });
    return [
        `<?xml version="1.0" encoding="UTF-8"?>`,
        `<testsuites>`,
        `  <testsuite ${attrs({
            name: suite,
            tests: cases.length,
            failures: count((c) => c.failure !== undefined),
            skipped: count((c) => c.failure === undefined && c.skipped !== undefined),
            time: seconds.toFixed(3),
        })}>`,
        ...testcases,
        `  </testsuite>`,
        `</testsuites>`,
        ``,
    ].join("\n");
}
