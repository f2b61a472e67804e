import { Role } from "./names";
import { quote } from "./shell";

/** Where to reach each machine from the CI job, to collect its logs. */
export interface LogSources {
    hosts: { role: Role; address: string }[];
    user: string;
    keyFile: string;
}

/** What is collected from each machine, by the file it is saved as. */
const LOGS: Record<string, string> = {
    "journal.log": "sudo journalctl --no-pager --boot",
    "stack.sh.log": "sudo cat /opt/stack/logs/stack.sh.log",
};

/**
 * Saves each machine's journal and DevStack log into $ARTIFACTS/devstack/<role>, as the seed
 * does; run on destroy, before the machines go. Never fails: a machine that never booted has none.
 */
export function collectLogsScript(l: LogSources): string {
    const ssh = `ssh -i ${quote(l.keyFile)} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o ConnectTimeout=10`;
    return [
        '[ -n "${ARTIFACTS:-}" ] || exit 0',
        ...l.hosts.flatMap(({ role, address }) => [
            `mkdir -p "$ARTIFACTS/devstack/${role}"`,
            ...Object.entries(LOGS).map(
                ([file, command]) =>
                    `${ssh} ${quote(`${l.user}@${address}`)} ${quote(command)} > "$ARTIFACTS/devstack/${role}/${file}" 2>&1 || true`,
            ),
        ]),
        "exit 0",
    ].join("\n");
}
