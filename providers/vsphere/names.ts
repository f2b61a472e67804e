import { checkPattern, Issue } from "../validation";

/**
 * Names of VMs, libraries and items: no '/', which separates them in paths, and no leading '-',
 * which govc (Go's flag package) would read as a flag wherever the name is an argument.
 */
const OBJECT_NAME = /^(?!-)[^/]{1,80}$/;

export function checkObjectName(field: string, value: unknown): Issue[] {
    return checkPattern(
        field,
        value,
        OBJECT_NAME,
        "1 to 80 characters without '/', not starting with '-'",
    );
}

/**
 * An absolute inventory path (`/<datacenter>/...`), as objects are created by path, whose
 * elements do not start with '-' (read as a flag where a name is an argument).
 */
export function checkAbsolutePath(field: string, value: unknown): Issue[] {
    return checkPattern(
        field,
        value,
        /^(\/(?!-)[^/]+){2,}$/,
        "an absolute inventory path (/<datacenter>/...) whose elements do not start with '-'",
    );
}
