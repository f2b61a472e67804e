import { PortRange } from "../ports/range";
import { checkPattern, Issue } from "../validation";

export type { PortRange };

/** Control-plane endpoint ports, as Cluster API's in-memory mux hands them out. */
export const ENDPOINT_PORTS: PortRange = { min: 20000, max: 24000 };

/** Parses "MIN-MAX" and checks it lies within Cluster API's in-memory 20000-24000. */
export function parsePortRange(
    field: string,
    value: unknown,
): { range?: PortRange; issues: Issue[] } {
    const issues = checkPattern(field, value, /^\d+-\d+$/, "a range MIN-MAX such as 20000-24000");
    if (issues.length > 0) {
        return { issues };
    }
    const [min, max] = (value as string).split("-").map(Number);
    if (min < ENDPOINT_PORTS.min || max > ENDPOINT_PORTS.max || min > max) {
        return {
            issues: [
                {
                    field,
                    message: `must be a range MIN-MAX within ${ENDPOINT_PORTS.min}-${ENDPOINT_PORTS.max}; got ${JSON.stringify(value)}`,
                },
            ],
        };
    }
    return { range: { min, max }, issues: [] };
}
