import * as fs from "fs";
import * as path from "path";
import { Issue } from "../../providers/validation";

/**
 * `value` resolved against the project's folder, and an issue unless it lies strictly inside
 * it: the stack reads and writes only files of the project (an absolute path or `..` that
 * leaves it, such as /etc/passwd, is refused).
 */
export function insideProject(
    key: string,
    value: string,
    rootDir: string,
): { path: string; issues: Issue[] } {
    const resolved = path.resolve(rootDir, value);
    const relative = path.relative(rootDir, resolved);
    const inside = relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
    const issues = inside
        ? []
        : [
              {
                  field: key,
                  message: `must be a path inside the project (relative to ${rootDir}); got ${JSON.stringify(value)}`,
              },
          ];
    return { path: resolved, issues };
}

/** The folder the stack writes to: inside the project, and not an existing file. */
export function checkOutputDir(key: string, value: string, rootDir: string): Issue[] {
    const { path: dir, issues } = insideProject(key, value, rootDir);
    if (issues.length === 0 && fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) {
        issues.push({ field: key, message: `must be a folder; ${dir} is a file` });
    }
    return issues;
}
