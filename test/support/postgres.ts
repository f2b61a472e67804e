/**
 * A real PostgreSQL (Debian's, which hack/validators installs) for the tests of the CLI's
 * postgres:// DIY backend: its own cluster made by initdb in a temporary folder, listening on a
 * free loopback port and on a unix socket in that folder, with a database and a login role whose
 * password is generated. `stop` ends the server and removes the folder: nothing is left.
 */
import * as childProcess from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { closedPort } from "./prow-fixtures";
import { until } from "./poll";

/** Where Debian puts each major version's server binaries (hack/validators looks there too). */
const POSTGRESQL_ROOT = process.env.POSTGRESQL_ROOT ?? "/usr/lib/postgresql";

export interface Postgres {
    /** postgres://USER:PASSWORD@127.0.0.1:PORT/DB, the CLI's backend URL. */
    url: string;
    password: string;
    port: number;
    /** The server's process. */
    pid: number;
    /** The folder holding the cluster, its socket and its log. */
    dir: string;
    /** Runs SQL as the cluster's superuser over the socket; rows as `|`-separated lines. */
    query(sql: string): string[];
    /** Ends the server but keeps its data: the backend is unreachable until `resume`. */
    pause(): Promise<void>;
    /** Starts the server again on the same data and port. */
    resume(): Promise<void>;
    stop(): Promise<void>;
}

/** The newest major version's bin folder: /usr/lib/postgresql/<ver>/bin. */
export function postgresBin(): string {
    const versions = fs.existsSync(POSTGRESQL_ROOT)
        ? fs
              .readdirSync(POSTGRESQL_ROOT)
              .filter((v) => fs.existsSync(path.join(POSTGRESQL_ROOT, v, "bin", "initdb")))
              .sort((a, b) => Number(b) - Number(a))
        : [];
    if (versions.length === 0) {
        throw new Error(`no PostgreSQL server under ${POSTGRESQL_ROOT}: run hack/validators`);
    }
    return path.join(POSTGRESQL_ROOT, versions[0], "bin");
}

/** PostgreSQL refuses to run as root: then it runs as Debian's `postgres` user. */
function serverUser(): { uid: number; gid: number } | undefined {
    if (process.getuid?.() !== 0) {
        return undefined;
    }
    const id = (flag: string) =>
        Number(childProcess.execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
    return { uid: id("-u"), gid: id("-g") };
}

export async function startPostgres(database = "pulumi", role = "pulumi"): Promise<Postgres> {
    const bin = postgresBin();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "postgres-it-"));
    const data = path.join(dir, "data");
    const user = serverUser();
    if (user) {
        fs.chownSync(dir, user.uid, user.gid);
    }
    const asServer = { ...(user ?? {}), env: { ...process.env, LC_ALL: "C.UTF-8" } };
    let server: childProcess.ChildProcess | undefined;
    const pause = async () => {
        if (server && server.exitCode === null && server.signalCode === null) {
            const exited = new Promise((r) => server!.once("exit", r));
            server.kill("SIGINT"); // a fast shutdown: ends every backend, then the postmaster
            await exited;
        }
    };
    const stop = async () => {
        await pause();
        fs.rmSync(dir, { recursive: true, force: true });
    };
    try {
        childProcess.execFileSync(
            path.join(bin, "initdb"),
            ["-D", data, "-N", "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256"],
            { ...asServer, stdio: ["ignore", "ignore", "pipe"] },
        );
        const port = await closedPort();
        const psql = (sql: string, db = "postgres") =>
            childProcess
                .execFileSync(
                    path.join(bin, "psql"),
                    ["-h", dir, "-p", String(port), "-U", "postgres", "-d", db].concat([
                        "-X",
                        "-A",
                        "-t",
                        "-v",
                        "ON_ERROR_STOP=1",
                        "-f",
                        "-",
                    ]),
                    { input: sql, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] },
                )
                .split("\n")
                .filter((l) => l !== "");
        const ready = () => {
            try {
                return psql("SELECT 1").join() === "1";
            } catch {
                return false;
            }
        };
        const serve = async () => {
            if (server && server.exitCode === null && server.signalCode === null) {
                return;
            }
            const log = fs.openSync(path.join(dir, "postgres.log"), "a");
            const started = childProcess.spawn(
                path.join(bin, "postgres"),
                ["-D", data, "-p", String(port), "-c", "listen_addresses=127.0.0.1"].concat([
                    "-c",
                    `unix_socket_directories=${dir}`,
                    "-c",
                    "fsync=off",
                ]),
                { ...asServer, stdio: ["ignore", log, log] },
            );
            server = started;
            fs.closeSync(log);
            await until(
                () => started.exitCode === null && ready(),
                "PostgreSQL to answer",
                30_000,
                100,
            );
        };
        await serve();
        // The password reaches psql on stdin, never its argv.
        const password = crypto.randomBytes(18).toString("hex");
        psql(`CREATE ROLE ${role} LOGIN PASSWORD '${password}';`);
        psql(`CREATE DATABASE ${database} OWNER ${role};`);
        return {
            url: `postgres://${role}:${password}@127.0.0.1:${port}/${database}?sslmode=disable`,
            password,
            port,
            get pid() {
                return server!.pid!;
            },
            dir,
            query: (sql) => psql(sql, database),
            pause,
            resume: serve,
            stop,
        };
    } catch (err) {
        await stop();
        throw err;
    }
}
