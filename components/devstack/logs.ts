import { Role } from "./names";
import { quote } from "./shell";
import { sshCommand, SshTrust } from "./ssh";

/** Where to reach each machine from the CI job, to collect its logs. */
export interface LogSources extends SshTrust {
    hosts: { role: Role; address: string }[];
    user: string;
}

/** A secret as DevStack's xtrace prints it: bare, quoted, or in xtrace's '\'' quoting. */
const VALUE = String.raw`('\\''|['"])?[^'"[:space:],;})]+`;

/**
 * GNU sed -E commands masking the passwords DevStack's xtrace prints: `*PASSWORD=`, `password: `,
 * `--os-password`, `--bootstrap-password`, `iniset ... password <value>`, `mysqladmin password`,
 * credentials in database and rabbit URLs, `mysql -p<value>`, `rabbitmqctl add_user` and
 * `change_password`, and SQL's `IDENTIFIED BY`.
 */
const REDACTIONS = [
    String.raw`s#(password[a-z0-9_]*['"]?[[:space:]]*[:=][[:space:]]*)${VALUE}#\1***#gI`,
    String.raw`s#(--[a-z-]*password[[:space:]]+)${VALUE}#\1***#gI`,
    String.raw`/iniset|mysqladmin/I s#(password[a-z0-9_]*[[:space:]]+)${VALUE}#\1***#gI`,
    String.raw`s#(rabbitmqctl[[:space:]]+(add_user|change_password)[[:space:]]+[^[:space:]]+[[:space:]]+)${VALUE}#\1***#g`,
    String.raw`s#(://[^/:@[:space:]]+:)[^/@[:space:]]+@#\1***@#g`,
    String.raw`/mysql/ s#([[:space:]]-p)[^[:space:]'"]+#\1***#g`,
    String.raw`s#(identified[[:space:]]+(with[[:space:]]+[^[:space:]]+[[:space:]]+)?by[[:space:]]+)${VALUE}#\1***#gI`,
];

/** The filter a log goes through on its machine, before it leaves for the public $ARTIFACTS. */
export const REDACT = `sed -E ${REDACTIONS.map((r) => `-e ${quote(r)}`).join(" ")}`;

/** What is collected from each machine, by the file it is saved as. */
const LOGS: Record<string, string> = {
    "journal.log": "sudo journalctl --no-pager --boot",
    "stack.sh.log": "sudo cat /opt/stack/logs/stack.sh.log",
};

/**
 * Saves each machine's journal and DevStack log, passwords masked, into
 * $ARTIFACTS/devstack/<role>, as CAPO's create_devstack.sh does; run on destroy, before the machines go. Never
 * fails: a machine that never booted has none.
 */
export function collectLogsScript(l: LogSources): string {
    const ssh = sshCommand(l, ["BatchMode=yes", "ConnectTimeout=10"]);
    return [
        '[ -n "${ARTIFACTS:-}" ] || exit 0',
        ...l.hosts.flatMap(({ role, address }) => [
            `mkdir -p "$ARTIFACTS/devstack/${role}"`,
            ...Object.entries(LOGS).map(
                ([file, command]) =>
                    `${ssh} ${quote(`${l.user}@${address}`)} ${quote(`${command} | ${REDACT}`)} > "$ARTIFACTS/devstack/${role}/${file}" 2>&1 || true`,
            ),
        ]),
        "exit 0",
    ].join("\n");
}
