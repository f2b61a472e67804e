/**
 * The preview of a CI run for PR review ($ARTIFACTS/pulumi-preview.md and .json), from the
 * engine's events and the preview's result. Only event metadata is read (operations, URNs, types,
 * the names of changed properties), never property values, so no secret can reach a report; the
 * diff text is the engine's, which shows secrets as [secret].
 */
import type {
    EngineEvent,
    OpMap,
    OpType,
    PreviewResult,
    PropertyDiff,
} from "@pulumi/pulumi/automation";

/** A changed property: its path, and its kind of change when the engine says. */
export interface ChangedProperty {
    path: string;
    kind?: PropertyDiff["diffKind"];
}

/** A resource the preview changes. */
export interface PreviewStep {
    op: OpType;
    urn: string;
    type: string;
    name: string;
    properties: ChangedProperty[];
}

export interface PreviewReport {
    /** How many resources each operation touches, as the engine counts them. */
    summary: OpMap;
    steps: PreviewStep[];
    /** The engine's own diff (`pulumi preview --diff`). */
    diff: string;
}

/**
 * The halves of a replacement: the engine also reports the `replace` itself, which is what its
 * summary counts.
 */
const PARTS_OF_A_REPLACEMENT: ReadonlySet<OpType> = new Set<OpType>([
    "create-replacement",
    "delete-replaced",
    "discard-replaced",
    "import-replacement",
    "read-replacement",
]);

/** A URN's resource name (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
export function urnName(urn: string): string {
    return urn.split("::").slice(3).join("::");
}

/** The resources that change, once each, in the order the engine previewed them. */
export function previewSteps(events: EngineEvent[]): PreviewStep[] {
    const steps = new Map<string, PreviewStep>();
    for (const event of events) {
        const m = event.resourcePreEvent?.metadata;
        if (!m || m.op === "same" || PARTS_OF_A_REPLACEMENT.has(m.op) || steps.has(m.urn)) {
            continue;
        }
        const detailed = Object.entries(m.detailedDiff ?? {});
        steps.set(m.urn, {
            op: m.op,
            urn: m.urn,
            type: m.type,
            name: urnName(m.urn),
            properties:
                detailed.length > 0
                    ? detailed.map(([path, d]) => ({ path, kind: d.diffKind }))
                    : (m.diffs ?? []).map((path) => ({ path })),
        });
    }
    return [...steps.values()];
}

export function previewReport(
    result: Pick<PreviewResult, "stdout" | "changeSummary">,
    events: EngineEvent[],
): PreviewReport {
    return { summary: result.changeSummary, steps: previewSteps(events), diff: result.stdout };
}

/** The report as JSON: the summary and the steps (the diff text is in the Markdown). */
export function previewJson(report: PreviewReport): string {
    return `${JSON.stringify({ summary: report.summary, steps: report.steps }, null, 2)}\n`;
}

/** Text for a Markdown table cell. */
function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\s+/g, " ");
}

/** Inline code that holds `text` whatever backticks it contains. */
function code(text: string): string {
    const fence = "`".repeat(longestRun(text, "`") + 1);
    return fence.length === 1 ? `\`${text}\`` : `${fence} ${text} ${fence}`;
}

function longestRun(text: string, char: string): number {
    let longest = 0;
    for (const run of text.match(new RegExp(`\\${char}+`, "g")) ?? []) {
        longest = Math.max(longest, run.length);
    }
    return longest;
}

/** The report for PR review: counts per operation, the resources that change, the full diff. */
export function previewMarkdown(report: PreviewReport): string {
    const counts = Object.entries(report.summary).filter(([, n]) => (n ?? 0) > 0);
    const lines = ["# pulumi preview", ""];
    lines.push(
        counts.length === 0
            ? "No resources."
            : counts.map(([op, n]) => `**${op}**: ${n}`).join(", "),
        "",
    );
    if (report.steps.length === 0) {
        lines.push("No changes.", "");
    } else {
        lines.push("| op | type | name | changed properties |", "| --- | --- | --- | --- |");
        for (const s of report.steps) {
            const props = s.properties
                .map((p) => (p.kind ? `${code(p.path)} (${p.kind})` : code(p.path)))
                .join(", ");
            lines.push(
                `| ${s.op} | ${cell(code(s.type))} | ${cell(code(s.name))} | ${cell(props)} |`,
            );
        }
        lines.push("");
    }
    const fence = "`".repeat(Math.max(3, longestRun(report.diff, "`") + 1));
    lines.push("## Diff", "", fence, report.diff.replace(/\n$/, ""), fence, "");
    return lines.join("\n");
}
