/**
 * Parses a JUnit file back with Python's XML parser (python3 is in the toolchain; node_modules has
 * no XML parser): a file that is not well-formed throws.
 */
import * as childProcess from "child_process";

export interface ParsedCase {
    name: string;
    classname: string;
    failure?: { message: string; text: string };
    skipped?: { message: string; text: string };
}

export interface ParsedSuite {
    name: string;
    tests: string;
    failures: string;
    skipped: string;
    cases: ParsedCase[];
}

const PARSE = `
import json, sys, xml.dom.minidom
doc = xml.dom.minidom.parse(sys.argv[1])
def outcome(case, tag):
    for e in case.getElementsByTagName(tag):
        return {"message": e.getAttribute("message"), "text": "".join(n.data for n in e.childNodes)}
suites = []
for s in doc.getElementsByTagName("testsuite"):
    suites.append({
        "name": s.getAttribute("name"), "tests": s.getAttribute("tests"),
        "failures": s.getAttribute("failures"), "skipped": s.getAttribute("skipped"),
        "cases": [
            {k: v for k, v in {
                "name": c.getAttribute("name"), "classname": c.getAttribute("classname"),
                "failure": outcome(c, "failure"), "skipped": outcome(c, "skipped"),
            }.items() if v is not None}
            for c in s.getElementsByTagName("testcase")
        ],
    })
print(json.dumps(suites))
`;

export function parseJunit(file: string): ParsedSuite[] {
    return JSON.parse(
        childProcess.execFileSync("python3", ["-c", PARSE, file], { encoding: "utf8" }),
    ) as ParsedSuite[];
}
