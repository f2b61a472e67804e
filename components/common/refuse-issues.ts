import * as pulumi from "@pulumi/pulumi";
import { formatIssues, Issue } from "../../providers/validation";

/**
 * Throws the args' issues, each named after the component, when there are any: the one
 * validate-then-throw of every component constructor.
 */
export function refuseIssues(component: pulumi.Resource, name: string, issues: Issue[]): void {
    if (issues.length > 0) {
        throw new pulumi.ResourceError(
            formatIssues(issues, (f) => `${name}: ${f}`),
            component,
        );
    }
}
