import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { endpointProvider } from "../../../providers/vcsim/endpoint";
import { acquireLease, heldBy, leasePath, releaseLease } from "../../../providers/ports/leases";

let root: string;
let dir: string;

beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "leases-"));
    dir = path.join(root, "ports");
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const lease = (owner: string, cluster = "cluster1") => ({ owner, cluster, host: "127.0.0.1" });
const RANGE = { min: 21000, max: 21010 };

describe("port leases", () => {
    it("hands the same cluster name different ports in different stacks", async () => {
        const a = await acquireLease(dir, RANGE, lease("/clone-a/out/local#cluster1"));
        const b = await acquireLease(dir, RANGE, lease("/clone-b/out/local#cluster1"));
        expect(a).not.toBe(b);
        expect(heldBy(dir, "/clone-a/out/local#cluster1")?.port).toBe(a);
    });

    it("gives an owner back the port it already holds", async () => {
        const first = await acquireLease(dir, RANGE, lease("me"));
        expect(await acquireLease(dir, RANGE, lease("me"))).toBe(first);
    });

    it("never hands one port to two of many concurrent stacks", async () => {
        const owners = Array.from({ length: 11 }, (_, i) => `stack-${i}`);
        const ports = await Promise.all(owners.map((o) => acquireLease(dir, RANGE, lease(o))));
        expect(new Set(ports).size).toBe(owners.length);
        await expect(acquireLease(dir, RANGE, lease("one-too-many"))).rejects.toThrow(/every port/);
    });

    it("skips a port something else on the machine listens on", async () => {
        const server = net.createServer();
        await new Promise<void>((resolve) => server.listen(21005, "127.0.0.1", resolve));
        try {
            const ports = await Promise.all(
                Array.from({ length: 10 }, (_, i) => acquireLease(dir, RANGE, lease(`s${i}`))),
            );
            expect(ports).not.toContain(21005);
        } finally {
            server.close();
        }
    });

    it("releases only its own lease and removes the folder once empty", async () => {
        const mine = await acquireLease(dir, RANGE, lease("mine"));
        const theirs = await acquireLease(dir, RANGE, lease("theirs"));
        releaseLease(dir, theirs, "mine");
        expect(fs.existsSync(leasePath(dir, theirs))).toBe(true);
        releaseLease(dir, mine, "mine");
        releaseLease(dir, theirs, "theirs");
        expect(fs.existsSync(dir)).toBe(false);
        expect(fs.existsSync(root)).toBe(true);
    });
});

describe("an owner's lease", () => {
    it("moves into a new range, leaving no lease on the old port", async () => {
        const old = await acquireLease(dir, RANGE, lease("me"));
        const moved = await acquireLease(dir, { min: 21100, max: 21110 }, lease("me"));
        expect(moved).toBeGreaterThanOrEqual(21100);
        expect(moved).toBeLessThanOrEqual(21110);
        expect(fs.existsSync(leasePath(dir, old))).toBe(false);
        expect(heldBy(dir, "me")?.port).toBe(moved);
    });

    it("lives in a folder every user of the machine may lease in, sticky as /tmp", async () => {
        await acquireLease(dir, RANGE, lease("me"));
        expect(fs.statSync(dir).mode & 0o7777).toBe(0o1777);
        expect(fs.readdirSync(root)).toEqual(["ports"]); // nothing left aside
    });

    it("is taken even when the last other lease goes, and its folder with it, meanwhile", async () => {
        // Many stacks lease while one releases the only lease, removing the folder.
        const first = await acquireLease(dir, RANGE, lease("leaving"));
        const leasing = Array.from({ length: 5 }, (_, i) =>
            acquireLease(dir, RANGE, lease(`s${i}`)),
        );
        releaseLease(dir, first, "leaving");
        const ports = await Promise.all(leasing);
        expect(new Set(ports).size).toBe(5);
        for (const port of ports) {
            expect(fs.existsSync(leasePath(dir, port))).toBe(true);
        }
    });
});

describe("the endpoint provider", () => {
    const inputs = () => ({
        clusterName: "cluster1",
        owner: "/clone/out/local",
        ports: RANGE,
        leaseDir: dir,
        host: "127.0.0.1",
    });

    it("releases the lease before leasing again when replaced", async () => {
        const { outs } = await endpointProvider.create(inputs());
        const news = { ...inputs(), ports: { min: 21100, max: 21110 } };
        const diff = await endpointProvider.diff!("id", outs, news);
        expect(diff).toMatchObject({
            changes: true,
            replaces: ["ports"],
            deleteBeforeReplace: true,
        });
        await endpointProvider.delete!("id", outs);
        const replaced = (await endpointProvider.create(news)).outs;
        expect(replaced.port).toBeGreaterThanOrEqual(21100);
        expect(heldBy(dir, "/clone/out/local#cluster1")?.port).toBe(replaced.port);
        expect(fs.readdirSync(dir)).toEqual([`${replaced.port}.json`]);
    });

    it("is replaced when its lease file was lost, and unchanged while it holds it", async () => {
        const { outs } = await endpointProvider.create(inputs());
        expect(await endpointProvider.diff!("id", outs, inputs())).toMatchObject({
            changes: false,
        });
        fs.rmSync(leasePath(dir, outs.port));
        expect(await endpointProvider.diff!("id", outs, inputs())).toMatchObject({
            changes: true,
            replaces: ["port"],
        });
    });
});
