import { dueBecause, ttlHoursOf } from "../../../run/expiry";
import { deepestFirst, keptUntil } from "../../../run/vsphere-sweep";
import { leasedConfig } from "../../../run/lease";
import { scrubFolder, secretForms } from "../../../run/collect-artifacts";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const created = new Date("2026-11-26T00:00:00Z");
const hours = (n: number) => new Date(created.getTime() + n * 3_600_000);

describe("the janitor's rules", () => {
    it("finds a stack due once its time to live has passed, or when its teardown failed", () => {
        const stack = { name: "ci-a-1", createdAt: created, ttlHours: 24 };
        expect(dueBecause(stack, hours(23.9))).toBeUndefined();
        expect(dueBecause(stack, hours(24))).toMatch(/time to live \(24 h/);
        expect(dueBecause({ ...stack, teardownFailed: "boom" }, hours(1))).toMatch(/boom/);
        expect(dueBecause({ name: "ci-b-2", ttlHours: 1 }, hours(100))).toBeUndefined();
    });

    it("takes the expiry the run tagged its stack with over the configured time to live", () => {
        const tagged = { name: "ci-c-3", createdAt: created, ttlHours: 24, expiresAt: hours(2) };
        expect(dueBecause(tagged, hours(1.9))).toBeUndefined();
        expect(dueBecause(tagged, hours(2))).toMatch(/ended at 2026-11-26T02:00:00.000Z/);
        // A tag that is no date leaves the configured time to live in charge.
        expect(dueBecause({ ...tagged, expiresAt: new Date("soon") }, hours(3))).toBeUndefined();
    });

    it("takes runTtlHours as configured, else the default", () => {
        expect(ttlHoursOf("3")).toBe(3);
        expect(ttlHoursOf(undefined)).toBe(24);
        expect(ttlHoursOf("x")).toBe(24);
    });

    it("keeps a VM whose annotation says so, and removes folders deepest first", () => {
        expect(
            keptUntil("k8s-ci-envs-stack=ci-a keep-at-least-until=2026-12-01T00:00:00Z"),
        ).toEqual(new Date("2026-12-01T00:00:00Z"));
        expect(keptUntil("created-by=k8s-ci-envs")).toBeUndefined();
        expect(keptUntil("keep-at-least-until=never")).toBeUndefined();
        expect(deepestFirst(["/dc/vm/run", "/dc/vm/run/a/b", "/dc/vm/run/a"])).toEqual([
            "/dc/vm/run/a/b",
            "/dc/vm/run/a",
            "/dc/vm/run",
        ]);
    });
});

describe("a lease's userdata in the run's configuration", () => {
    it("maps CAPV's folder, resource pool and address pool, and a GCP project by name", () => {
        expect(
            leasedConfig({
                type: "gcve-vsphere-project",
                name: "k8s-infra-e2e-gcp-gcve-project-001",
                state: "busy",
                owner: "job/1",
                userdata: {
                    folder: "/dc/vm/prow/p1",
                    resourcePool: "/dc/host/c/Resources/prow/p1",
                    ipPool: "{}",
                    other: "x",
                },
            }),
        ).toEqual({
            vsphereFolder: "/dc/vm/prow/p1",
            vsphereResourcePool: "/dc/host/c/Resources/prow/p1",
            vsphereIpPool: "{}",
        });
        expect(
            leasedConfig({
                type: "gce-project",
                name: "capo-e2e-7",
                state: "busy",
                owner: "o",
                userdata: null,
            }),
        ).toEqual({ gcpProject: "capo-e2e-7" });
    });
});

describe("artifacts scrubbed of the job's secrets", () => {
    it("masks a secret plain and base64-encoded, in every file below the folder", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scrub-"));
        fs.mkdirSync(path.join(dir, "devstack"));
        const b64 = Buffer.from("hunter22").toString("base64");
        fs.writeFileSync(path.join(dir, "a.log"), "password hunter22\n");
        fs.writeFileSync(path.join(dir, "devstack", "b.log"), `basic ${b64}\n`);
        fs.writeFileSync(path.join(dir, "c.log"), "nothing here\n");
        expect(
            scrubFolder(dir, ["hunter22"])
                .map((f) => path.basename(f))
                .sort(),
        ).toEqual(["a.log", "b.log"]);
        expect(fs.readFileSync(path.join(dir, "a.log"), "utf8")).toBe("password [secret]\n");
        expect(fs.readFileSync(path.join(dir, "devstack", "b.log"), "utf8")).toBe(
            "basic [secret]\n",
        );
        expect(secretForms(["ab"])).toEqual([]);
        fs.rmSync(dir, { recursive: true });
    });
});
