/** Bash fragments the DevStack's local commands share. */

/** `value` as one single-quoted bash word. */
export function quote(value: string): string {
    return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Lines that run `command` up to `attempts` times, `retrySeconds` apart; exit 1 with `failure` after the last. */
export function retryLines(
    command: string,
    attempts: number,
    retrySeconds: number,
    failure: string,
): string[] {
    return [
        `for attempt in $(seq 1 ${attempts}); do`,
        `    if ${command}; then`,
        "        exit 0",
        "    fi",
        `    [ "$attempt" -eq ${attempts} ] || sleep ${retrySeconds}`,
        "done",
        `echo ${quote(failure)} >&2`,
        "exit 1",
    ];
}
