import { checkPattern, Issue } from "../validation";

/** Names of libraries and items: no '/', which separates them in `/<library>/<item>`. */
const OBJECT_NAME = /^[^/]{1,80}$/;

export function checkObjectName(field: string, value: unknown): Issue[] {
    return checkPattern(field, value, OBJECT_NAME, "1 to 80 characters without '/'");
}
