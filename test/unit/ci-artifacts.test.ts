import type { EngineEvent, StepEventMetadata } from "@pulumi/pulumi/automation";
import {
    COMMENT_MAX,
    previewJson,
    previewMarkdown,
    previewReport,
    previewSteps,
} from "../../run/preview-report";

const HEADING = { operation: "preview", project: "k8s-ci-envs", stack: "ci-pull-capo-e2e-77" };
const SECRET = "hunter2-decrypted-password";
const urn = (type: string, name: string) =>
    `urn:pulumi:ci-pull-capo-e2e-77::k8s-ci-envs::k8sci:devstack:DevStack$${type}::${name}`;

let sequence = 0;
function pre(metadata: Partial<StepEventMetadata> & Pick<StepEventMetadata, "op" | "urn">) {
    const type = metadata.urn.split("::")[2].split("$").pop()!;
    return {
        sequence: sequence++,
        timestamp: 0,
        resourcePreEvent: { metadata: { type, provider: "", ...metadata } },
    } as EngineEvent;
}

// What the engine reports for a preview: states carry values (some decrypted, in a program's
// hands), which no report may show.
const secretState = {
    type: "random:index/randomPassword:RandomPassword",
    urn: urn("random:index/randomPassword:RandomPassword", "capo-e2e-admin-password"),
    custom: true,
    delete: false,
    id: "",
    parent: "",
    protect: false,
    inputs: { length: 24 },
    outputs: {
        result: {
            "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
            value: SECRET,
        },
    },
    provider: "",
};

const EVENTS: EngineEvent[] = [
    { sequence: sequence++, timestamp: 0, preludeEvent: { config: {} } },
    pre({ op: "same", urn: urn("pulumi:pulumi:Stack", "k8s-ci-envs-ci") }),
    pre({
        op: "create",
        urn: urn("gcp:compute/instance:Instance", "capo-e2e-controller"),
        new: { ...secretState, inputs: { metadata: { "user-data": SECRET } } } as never,
    }),
    pre({
        op: "update",
        urn: urn("random:index/randomPassword:RandomPassword", "capo-e2e-admin-password"),
        old: secretState as never,
        new: { ...secretState, outputs: { result: SECRET } } as never,
        diffs: ["result", "length"],
    }),
    pre({
        op: "create-replacement",
        urn: urn("gcp:compute/firewall:Firewall", "fw|<a>`b`"),
    }),
    pre({
        op: "replace",
        urn: urn("gcp:compute/firewall:Firewall", "fw|<a>`b`"),
        diffs: ["sourceRanges"],
        keys: ["network"],
        detailedDiff: {
            network: { diffKind: "update-replace" as never, inputDiff: true },
            'labels["prow-pull"]': { diffKind: "add" as never, inputDiff: true },
        },
    }),
    pre({ op: "delete-replaced", urn: urn("gcp:compute/firewall:Firewall", "fw|<a>`b`") }),
    pre({ op: "delete", urn: urn("command:remote:Command", "capo-e2e-tunnel") }),
];

const RESULT = {
    stdout: [
        "Previewing update (ci-pull-capo-e2e-77):",
        "  + gcp:compute/instance:Instance: (create)",
        "      metadata  : { user-data: [secret] }",
        "  ~ random:index/randomPassword:RandomPassword: (update)",
        "      ~ result: [secret] => [secret]",
        "```not a fence end```",
        "",
    ].join("\n"),
    changeSummary: { same: 1, create: 1, update: 1, replace: 1, delete: 1 },
};

describe("the preview report", () => {
    const report = previewReport(RESULT, EVENTS);

    it("lists each resource that changes once, with what changes, from event metadata", () => {
        expect(previewSteps(EVENTS)).toEqual([
            {
                op: "create",
                urn: urn("gcp:compute/instance:Instance", "capo-e2e-controller"),
                type: "gcp:compute/instance:Instance",
                name: "capo-e2e-controller",
                properties: [],
            },
            {
                op: "update",
                urn: urn("random:index/randomPassword:RandomPassword", "capo-e2e-admin-password"),
                type: "random:index/randomPassword:RandomPassword",
                name: "capo-e2e-admin-password",
                properties: [{ path: "result" }, { path: "length" }],
            },
            {
                op: "replace",
                urn: urn("gcp:compute/firewall:Firewall", "fw|<a>`b`"),
                type: "gcp:compute/firewall:Firewall",
                name: "fw|<a>`b`",
                properties: [
                    { path: "network", kind: "update-replace" },
                    { path: 'labels["prow-pull"]', kind: "add" },
                ],
            },
            {
                op: "delete",
                urn: urn("command:remote:Command", "capo-e2e-tunnel"),
                type: "command:remote:Command",
                name: "capo-e2e-tunnel",
                properties: [],
            },
        ]);
    });

    it("never shows a secret's value", () => {
        expect(previewMarkdown(report, HEADING)).not.toContain(SECRET);
        expect(previewJson(report)).not.toContain(SECRET);
        expect(previewMarkdown(report, HEADING)).toContain("[secret]");
    });

    it("writes the summary and the steps as JSON", () => {
        expect(JSON.parse(previewJson(report))).toEqual({
            summary: RESULT.changeSummary,
            steps: previewSteps(EVENTS),
            findings: [],
        });
    });

    it("writes Markdown for review: counts, a table of changes, the diff in a fence", () => {
        const md = previewMarkdown(report, HEADING);
        expect(md).toContain(
            "**same**: 1, **create**: 1, **update**: 1, **replace**: 1, **delete**: 1",
        );
        expect(md).toContain("| op | type | name | changed properties |");
        expect(md).toContain(
            '| replace | `gcp:compute/firewall:Firewall` | `` fw\\|<a>`b` `` | `network` (update-replace), `labels["prow-pull"]` (add) |',
        );
        expect(md).toContain(
            "| update | `random:index/randomPassword:RandomPassword` | `capo-e2e-admin-password` | `result`, `length` |",
        );
        expect(md).not.toContain("| same |");
        expect(md.split("\n")[0]).toBe(
            "#### :tropical_drink: `preview` on k8s-ci-envs/ci-pull-capo-e2e-77",
        );
        // The engine's diff, as HTML text, in a collapsible block after the table.
        const escaped = RESULT.stdout.trimEnd().replace(/>/g, "&gt;");
        expect(md).toContain(
            `<details>\n<summary>Pulumi report</summary>\n\n<pre>\n${escaped}\n</pre>\n\n</details>\n`,
        );
        expect(md.indexOf("| delete |")).toBeLessThan(md.indexOf("<details>"));
    });

    it("masks the run's secrets wherever they appear, the diff included", () => {
        const leaky = previewReport({ ...RESULT, stdout: `password: ${SECRET}\n` }, EVENTS);
        const md = previewMarkdown(leaky, HEADING, [SECRET]);
        expect(md).not.toContain(SECRET);
        expect(md).toContain("password: [secret]");
    });

    it("cuts a diff over 64,000 characters from its start, keeping the summary", () => {
        const summary = "Resources:\n    + 400 to create\n    ~ 1 to update\n";
        const lines = Array.from({ length: 4000 }, (_, i) => `  + k8s:core/v1:ConfigMap: cm-${i}`);
        const big = previewReport(
            { stdout: `${lines.join("\n")}\n${summary}`, changeSummary: RESULT.changeSummary },
            EVENTS,
        );
        const md = previewMarkdown(big, HEADING);
        expect(big.diff.length).toBeGreaterThan(COMMENT_MAX);
        expect(md.length).toBeLessThanOrEqual(COMMENT_MAX);
        expect(md).toContain(`${summary.trimEnd()}\n</pre>`);
        expect(md).toContain("cm-3999\n");
        expect(md).not.toContain("cm-0\n");
        expect(md).toContain(":warning: The diff was cut to fit 64000 characters");
        expect(md).toContain("| replace |");
        // Every line kept is whole.
        const kept = md.slice(md.indexOf("<pre>\n") + 6).split("\n")[0];
        expect(lines).toContain(kept);
        expect(previewMarkdown(report, HEADING)).not.toContain(":warning:");
    });

    it("says when nothing changes", () => {
        const md = previewMarkdown(
            previewReport({ stdout: "", changeSummary: { same: 3 } }, []),
            HEADING,
        );
        expect(md).toContain("**same**: 3");
        expect(md).toContain("No changes.");
    });
});
