import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { collectLogsScript, REDACT } from "../../../components/devstack/logs";
import {
    CLOUD_INIT_WAIT,
    identityCheckScript,
    identityUrl,
} from "../../../components/devstack/readiness";

let dir: string;
beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "readiness-"));
    fs.mkdirSync(path.join(dir, "bin"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Puts a stand-in `name` on PATH that records its arguments and exits with $FAKE_RC. */
function fake(name: string, body = "") {
    fs.writeFileSync(
        path.join(dir, "bin", name),
        `#!/bin/bash\nprintf '%s\\n' "$*" >> "${dir}/${name}.log"\n${body}\nexit "\${FAKE_RC:-0}"\n`,
        { mode: 0o755 },
    );
}

function run(script: string, env: Record<string, string> = {}, shell = "bash") {
    return childProcess.spawnSync(shell, ["-c", script], {
        env: { PATH: `${dir}/bin:${process.env.PATH}`, ...env },
        encoding: "utf8",
    });
}

const calls = (name: string) =>
    fs
        .readFileSync(path.join(dir, `${name}.log`), "utf8")
        .trim()
        .split("\n");

describe("the wait for the controller's cloud-init", () => {
    it.each([
        ["0", 0],
        ["2", 0], // done, with recoverable errors (cloud-init 23.4+)
        ["1", 1],
    ])("treats cloud-init's exit %s as %p", (rc, status) => {
        fake("cloud-init");
        // The remote command runs in the login user's shell: keep it POSIX.
        expect(run(CLOUD_INIT_WAIT, { FAKE_RC: rc }, "sh").status).toBe(status);
        expect(calls("cloud-init")).toEqual(["status --wait --long"]);
    });
});

describe("the Identity API check through the tunnel", () => {
    const check = {
        url: identityUrl("10.0.3.15"),
        attempts: 3,
        retrySeconds: 0,
        timeoutSeconds: 30,
    };

    it("asks Keystone on the controller's private address and prints its answer", () => {
        fake("curl", 'echo \'{"version": {"id": "v3.14"}}\'');
        const result = run(identityCheckScript(check));
        expect(result.status).toBe(0);
        expect(result.stdout).toContain('"id": "v3.14"');
        expect(calls("curl")).toEqual([
            "--fail --silent --show-error --max-time 30 http://10.0.3.15/identity/v3",
        ]);
    });

    it("retries, and fails naming the URL after the last attempt", () => {
        fake("curl");
        const result = run(identityCheckScript(check), { FAKE_RC: "7" });
        expect(result.status).toBe(1);
        expect(calls("curl")).toHaveLength(3);
        expect(result.stderr).toContain(
            "the Identity API at http://10.0.3.15/identity/v3 did not answer in 3 attempts",
        );
    });
});

describe("the logs collected on destroy", () => {
    const sources = {
        hosts: [
            { role: "controller" as const, address: "34.86.1.2" },
            { role: "worker" as const, address: "34.86.1.3" },
        ],
        user: "cloud",
        keyFile: "/run/key",
        knownHostsFile: "/run/known_hosts",
    };

    it("saves each machine's journal and DevStack log under $ARTIFACTS/devstack, passwords masked", () => {
        // The remote command runs in the login user's shell, here with a sudo that logs a password.
        fake("ssh", 'echo "log of ${@: -2:1}"; sh -c "${@: -1}"');
        fake("sudo", 'echo "$* ADMIN_PASSWORD=Adm1nSecret"');
        const artifacts = path.join(dir, "artifacts");
        expect(run(collectLogsScript(sources), { ARTIFACTS: artifacts }).status).toBe(0);
        const saved = (role: string, file: string) =>
            fs.readFileSync(path.join(artifacts, "devstack", role, file), "utf8");
        expect(saved("controller", "journal.log")).toBe(
            "log of cloud@34.86.1.2\njournalctl --no-pager --boot ADMIN_PASSWORD=***\n",
        );
        expect(saved("worker", "stack.sh.log")).toBe(
            "log of cloud@34.86.1.3\ncat /opt/stack/logs/stack.sh.log ADMIN_PASSWORD=***\n",
        );
        // Only the stack's key, and only the host keys it pinned.
        expect(calls("ssh")[0]).toContain(
            '-o IdentityFile="/run/key" -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile="/run/known_hosts"',
        );
    });

    // Lines as DevStack's xtrace (and the files it writes) print them, with the passwords
    // generated for the run (letters and digits).
    it.each([
        ["+stack.sh:main:98  ADMIN_PASSWORD=Adm1nSecret", "+stack.sh:main:98  ADMIN_PASSWORD=***"],
        ["export OS_PASSWORD=Adm1nSecret", "export OS_PASSWORD=***"],
        ["admin_password = Serv1ceSecret", "admin_password = ***"],
        ["      password: Adm1nSecret", "      password: ***"],
        [
            '{"username": "admin", "password": "Adm1nSecret"}',
            '{"username": "admin", "password": ***"}',
        ],
        [
            "+functions-common:write_clouds_yaml:60  update_clouds_yaml.py --os-username admin --os-password Adm1nSecret --os-project-name admin",
            "+functions-common:write_clouds_yaml:60  update_clouds_yaml.py --os-username admin --os-password *** --os-project-name admin",
        ],
        [
            "openstack --os-password=Adm1nSecret token issue",
            "openstack --os-password=*** token issue",
        ],
        [
            "+lib/keystone:bootstrap_keystone:520  sudo keystone-manage bootstrap --bootstrap-username admin --bootstrap-password Adm1nSecret --bootstrap-project-name admin",
            "+lib/keystone:bootstrap_keystone:520  sudo keystone-manage bootstrap --bootstrap-username admin --bootstrap-password *** --bootstrap-project-name admin",
        ],
        [
            "+functions-common:get_or_create_user:900  openstack user create nova --password Serv1ceSecret --domain=default --or-show",
            "+functions-common:get_or_create_user:900  openstack user create nova --password *** --domain=default --or-show",
        ],
        [
            "+lib/keystone:configure_keystone_authtoken_middleware:450  iniset /etc/nova/nova.conf keystone_authtoken password Serv1ceSecret",
            "+lib/keystone:configure_keystone_authtoken_middleware:450  iniset /etc/nova/nova.conf keystone_authtoken password ***",
        ],
        [
            "+lib/nova:configure_nova:700  iniset /etc/nova/nova.conf database connection 'mysql+pymysql://root:DbSecret@10.0.3.15/nova_cell1?charset=utf8'",
            "+lib/nova:configure_nova:700  iniset /etc/nova/nova.conf database connection 'mysql+pymysql://root:***@10.0.3.15/nova_cell1?charset=utf8'",
        ],
        [
            "+lib/rpc_backend:iniset_rpc_backend:150  iniset /etc/nova/nova.conf DEFAULT transport_url rabbit://stackrabbit:Rabb1tSecret@10.0.3.15:5672/",
            "+lib/rpc_backend:iniset_rpc_backend:150  iniset /etc/nova/nova.conf DEFAULT transport_url rabbit://stackrabbit:***@10.0.3.15:5672/",
        ],
        [
            "+lib/rpc_backend:restart_rpc_backend:100  sudo rabbitmqctl change_password stackrabbit Rabb1tSecret",
            "+lib/rpc_backend:restart_rpc_backend:100  sudo rabbitmqctl change_password stackrabbit ***",
        ],
        [
            "sudo rabbitmqctl add_user stackrabbit Rabb1tSecret",
            "sudo rabbitmqctl add_user stackrabbit ***",
        ],
        [
            "+lib/databases/mysql:configure_database_mysql:80  sudo mysqladmin -u root password DbSecret",
            "+lib/databases/mysql:configure_database_mysql:80  sudo mysqladmin -u root password ***",
        ],
        [
            "+lib/databases/mysql:configure_database_mysql:90  sudo mysql -uroot -pDbSecret -h127.0.0.1 -e 'CREATE USER IF NOT EXISTS '\\''root'\\''@'\\''%'\\'' identified by '\\''DbSecret'\\'';'",
            "+lib/databases/mysql:configure_database_mysql:90  sudo mysql -uroot -p*** -h127.0.0.1 -e 'CREATE USER IF NOT EXISTS '\\''root'\\''@'\\''%'\\'' identified by ***'\\'';'",
        ],
        [
            "ALTER USER 'root'@'localhost' IDENTIFIED WITH mysql_native_password BY 'DbSecret';",
            "ALTER USER 'root'@'localhost' IDENTIFIED WITH mysql_native_password BY ***';",
        ],
    ])("masks the password in %s", (line, redacted) => {
        const result = childProcess.spawnSync("sh", ["-c", REDACT], {
            input: `${line}\n`,
            encoding: "utf8",
        });
        expect(result.stderr).toBe("");
        expect(result.stdout).toBe(`${redacted}\n`);
    });

    it("leaves lines without a password as they are", () => {
        const lines =
            "+lib/nova:start_nova:900  mkdir -p /opt/stack/data/nova\npassword_hash_rounds\n";
        const result = childProcess.spawnSync("sh", ["-c", REDACT], {
            input: lines,
            encoding: "utf8",
        });
        expect(result.stdout).toBe(lines);
    });

    it("never fails the destroy, and does nothing without $ARTIFACTS", () => {
        fake("ssh");
        const artifacts = path.join(dir, "artifacts");
        expect(
            run(collectLogsScript(sources), { ARTIFACTS: artifacts, FAKE_RC: "255" }).status,
        ).toBe(0);
        expect(run(collectLogsScript(sources)).status).toBe(0);
        expect(calls("ssh")).toHaveLength(4);
    });
});
