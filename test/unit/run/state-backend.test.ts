import { jobSecrets } from "../../../run/cli";
import { backendSecrets, movePasswordOutOfUrl } from "../../../run/backend-url";
import { allStale, locksIn } from "../../../run/state-lock";

/** The CLI's refusal (pkg/backend/diy/lock.go), as the Automation API's error repeats it. */
const REFUSAL = `error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with \`pulumi cancel\`.
  postgres://****:****@db:5432/pulumi/.pulumi/locks/organization/k8s-ci-envs/ci-x/0b1.json: created by root@runner-7 (pid 4242) at 2026-12-03T10:00:00Z`;

describe("the state backend of a run", () => {
    it("moves a postgres:// URL's password to PGPASSWORD, decoded, and scrubs every form", () => {
        const env = {
            PULUMI_BACKEND_URL: "postgres://ci:p%40ss-w0rd@db:5432/pulumi?sslmode=require",
        };
        expect(backendSecrets(env)).toEqual(["p%40ss-w0rd", "p@ss-w0rd"]);
        movePasswordOutOfUrl(env);
        expect(env).toEqual({
            PULUMI_BACKEND_URL: "postgres://ci@db:5432/pulumi?sslmode=require",
            PGPASSWORD: "p@ss-w0rd",
        });
        expect(backendSecrets(env)).toEqual(["p@ss-w0rd"]);
        expect(jobSecrets(env)).toContain("p@ss-w0rd");
    });

    it("leaves other backends and a URL without a password as they are", () => {
        for (const url of ["file:///state", "gs://bucket/p:q@x", "postgres://ci@db/pulumi"]) {
            const env = { PULUMI_BACKEND_URL: url };
            movePasswordOutOfUrl(env);
            expect(env).toEqual({ PULUMI_BACKEND_URL: url });
        }
        expect(backendSecrets({ PULUMI_BACKEND_URL: "file:///state" })).toEqual([]);
    });

    it("reads each lock of a refusal once, and which are older than the TTL", () => {
        const locks = locksIn(`${REFUSAL}\n\n${REFUSAL}`)!;
        expect(locks).toEqual([expect.objectContaining({ owner: "root@runner-7", pid: 4242 })]);
        expect(locks[0].createdAt.toISOString()).toBe("2026-12-03T10:00:00.000Z");
        expect(allStale(locks, 24, new Date("2026-12-04T09:59:59Z"))).toBe(false);
        expect(allStale(locks, 24, new Date("2026-12-04T10:00:00Z"))).toBe(true);
        expect(allStale([], 24, new Date("2030-01-01T00:00:00Z"))).toBe(false);
        expect(locksIn("error: no such stack")).toBeUndefined();
    });
});
