import { hasUnknowns } from "../dynamic";
import { Issue } from "../validation";

/** The input an issue's field belongs to: `addressPool` for `addressPool.gateway`. */
function topField(field: string): string {
    return field.split(/[.[]/)[0];
}

/**
 * The issues about inputs known at this point of the preview: an input still unknown (an output
 * of a resource yet to be made) is checked again once known.
 */
export function knownIssues(issues: Issue[], inputs: object): Issue[] {
    const values = inputs as Record<string, unknown>;
    return issues.filter((issue) => !hasUnknowns(values[topField(issue.field)]));
}

/**
 * Check failures as the engine shows them at preview: each names its property and, when the
 * caller said where that property comes from (a configuration key), that source too.
 */
export function checkFailures(issues: Issue[], sources: Record<string, string> = {}) {
    return issues.map((issue) => {
        const source = sources[topField(issue.field)];
        return {
            property: issue.field,
            reason: source
                ? `${issue.field} (from ${source}) ${issue.message}`
                : `${issue.field} ${issue.message}`,
        };
    });
}
