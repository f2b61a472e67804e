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

/** A finding of the policy pack (policy/) on a resource, or on the stack as a whole. */
export interface PolicyFinding {
    policy: string;
    level: string;
    resource: string;
    message: string;
}

export interface PreviewReport {
    /** How many resources each operation touches, as the engine counts them. */
    summary: OpMap;
    steps: PreviewStep[];
    /** What the policy pack found; a mandatory finding failed the preview. */
    findings: PolicyFinding[];
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
    return {
        summary: result.changeSummary,
        steps: previewSteps(events),
        findings: policyFindings(events),
        diff: result.stdout,
    };
}

export function policyFindings(events: EngineEvent[]): PolicyFinding[] {
    return events.flatMap((e) => {
        const p = e.policyEvent;
        if (p === undefined) {
            return [];
        }
        const resource = p.resourceUrn ? urnName(p.resourceUrn) : "(the stack)";
        return [
            {
                policy: p.policyName,
                level: p.enforcementLevel,
                resource,
                message: p.message.trim(),
            },
        ];
    });
}

/** The findings as a Markdown table, mandatory ones first; nothing when there are none. */
function findingLines(findings: PolicyFinding[]): string[] {
    if (findings.length === 0) {
        return [];
    }
    const sorted = [...findings].sort(
        (a, b) => Number(b.level === "mandatory") - Number(a.level === "mandatory"),
    );
    return [
        `**Policy findings** (policy/): ${findings.filter((f) => f.level === "mandatory").length} mandatory`,
        "",
        "| Policy | Level | Resource | Finding |",
        "| --- | --- | --- | --- |",
        ...sorted.map(
            (f) => `| ${code(f.policy)} | ${f.level} | ${code(f.resource)} | ${cell(f.message)} |`,
        ),
        "",
    ];
}

/** The report as JSON: the summary and the steps (the diff text is in the Markdown). */
export function previewJson(report: PreviewReport): string {
    const { summary, steps, findings } = report;
    return `${JSON.stringify({ summary, steps, findings }, null, 2)}\n`;
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

/** What the report's heading names (Pulumi's PR comment: `preview` on <project>/<stack>). */
export interface PreviewHeading {
    operation: string;
    project: string;
    stack: string;
}

/** GitHub's limit on a comment, which pulumi/actions keeps to. */
export const COMMENT_MAX = 64_000;

/** Text as HTML character data, for the diff's <pre>. */
function html(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Each of `secrets` in `text` as [secret], as the engine shows a secret. */
export function maskSecrets(text: string, secrets: readonly string[]): string {
    return secrets
        .filter((s) => s.length > 0)
        .reduce((masked, secret) => masked.split(secret).join("[secret]"), text);
}

function countsLine(summary: OpMap): string {
    const counts = Object.entries(summary).filter(([, n]) => (n ?? 0) > 0);
    return counts.length === 0
        ? "No resources."
        : counts.map(([op, n]) => `**${op}**: ${n}`).join(", ");
}

function tableLines(steps: PreviewStep[]): string[] {
    if (steps.length === 0) {
        return ["No changes."];
    }
    const lines = ["| op | type | name | changed properties |", "| --- | --- | --- | --- |"];
    for (const s of steps) {
        const props = s.properties
            .map((p) => (p.kind ? `${code(p.path)} (${p.kind})` : code(p.path)))
            .join(", ");
        lines.push(`| ${s.op} | ${cell(code(s.type))} | ${cell(code(s.name))} | ${cell(props)} |`);
    }
    return lines;
}

/** The engine's diff cut from its start to `room` characters: its summary is at the end. */
function keepEnd(diff: string, room: number): { text: string; cut: boolean } {
    if (diff.length <= room) {
        return { text: diff, cut: false };
    }
    const tail = diff.slice(diff.length - Math.max(room, 0));
    const lineStart = tail.indexOf("\n");
    return { text: lineStart < 0 ? tail : tail.slice(lineStart + 1), cut: true };
}

/**
 * The report as a PR comment, in Pulumi's convention (pulumi/actions): a heading naming the
 * operation, project and stack; the counts per operation; the table of resources that change;
 * then the engine's --diff in a collapsible block. The whole stays within COMMENT_MAX: a diff too
 * long loses its start, never its summary, and says so; `secrets` show as [secret].
 */
export function previewMarkdown(
    report: PreviewReport,
    heading: PreviewHeading,
    secrets: readonly string[] = [],
    max: number = COMMENT_MAX,
): string {
    const title = `#### :tropical_drink: \`${heading.operation}\` on ${heading.project}/${heading.stack}`;
    let table = tableLines(report.steps);
    const findings = findingLines(report.findings);
    const head = () =>
        [title, "", countsLine(report.summary), "", ...findings, ...table, ""].join("\n");
    const warning = (what: string) =>
        `:warning: ${what} was cut to fit ${max} characters; the job's log has it whole.\n\n`;
    const open = "<details>\n<summary>Pulumi report</summary>\n\n<pre>\n";
    const close = "\n</pre>\n\n</details>\n";
    const diff = html(maskSecrets(report.diff, secrets).replace(/\n$/, ""));
    const frame = open.length + close.length + warning("The diff").length + 1;
    let tableNote = "";
    while (head().length + frame > max / 2 && table.length > 3) {
        table = table.slice(0, Math.max(3, Math.floor(table.length / 2)));
        tableNote = warning("The table");
    }
    const room = max - head().length - tableNote.length - frame;
    const { text, cut } = keepEnd(diff, room);
    const body = maskSecrets(head(), secrets) + "\n" + tableNote;
    return `${body}${cut ? warning("The diff") : ""}${open}${text}${close}`;
}
