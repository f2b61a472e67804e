/**
 * The vSphere provider's resources on the real engine against a real simulator: create, update
 * in place, replace, refresh after changes made by hand with govc, delete of what is already
 * gone, guest addresses (simulated DHCP and a static pool), library import (file and URL) and
 * deploy, and bad input refused at preview.
 */
import * as childProcess from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import { Stack } from "@pulumi/pulumi/automation";
import { govc } from "../../providers/govc/runner";
import { renderManifest, renderOvf } from "../../providers/vcsim/ovf";
import { inventoryIdsProvider } from "../../providers/vsphere/inventory-ids";
import { selfSignedCertificate } from "../support/certificates";
import { removeStack, uniqueStackName } from "../support/harness";
import {
    guestInfo,
    programStack,
    setSpec,
    startTestSimulator,
    TestSimulator,
    vmInfo,
} from "../support/vsphere-harness";

jest.setTimeout(10 * 60 * 1000);

const TEMPLATE = "/DC0/vm/ubuntu-2204-kube-v1.28.0";
const OTHER_TEMPLATE = "/DC0/vm/ubuntu-2204-kube-v1.29.0";
const POOL = { addresses: ["192.168.35.0-192.168.35.15"], gateway: "192.168.32.1", prefix: 21 };

let sim: TestSimulator;
let stack: Stack;
let ovfServer: http.Server;
let ovfUrl: string;
let ovfFile: string;

function baseSpec() {
    return {
        folder: "/DC0/vm/prow-it",
        pool: "/DC0/host/DC0_C0/Resources/prow-it",
        library: { name: "it-library", item: "it-item", source: ovfFile },
        vms: {
            jump: {
                name: "it-jump",
                template: TEMPLATE,
                userData: "#cloud-config\nhostname: it-jump\n",
                labels: { "prow-job": "it", "prow-build": "1" },
                expiresAt: "2030-01-01T00:00:00Z",
            },
            bootstrap: {
                name: "it-bootstrap",
                libraryItem: "$item",
                folder: "$folder",
                resourcePool: "$pool",
                cpus: 4,
                memoryMiB: 8192,
                addressPool: POOL,
                addressIndex: 1,
            },
        } as Record<string, object>,
    };
}

async function machines() {
    return (await stack.outputs()).machines.value as Record<string, Record<string, any>>;
}

/** A VM's outputs in the state, which refresh updates (the stack's outputs wait for an up). */
async function vmState(name: string): Promise<Record<string, any> | undefined> {
    const state = await stack.exportStack();
    return (state.deployment.resources ?? []).find((r: any) =>
        (r.urn as string).endsWith(`::vm-${name}`),
    )?.outputs;
}

/** The VM's managed-object id: vcsim derives instance UUIDs from names, so they repeat. */
async function moref(vmPath: string): Promise<string> {
    return (await vmInfo(sim.target, vmPath)).self.value;
}

beforeAll(async () => {
    sim = await startTestSimulator();
    const ovfDir = path.join(sim.dir, "ovf");
    fs.mkdirSync(ovfDir);
    const ovf = renderOvf("it-item");
    ovfFile = path.join(ovfDir, "it-item.ovf");
    fs.writeFileSync(ovfFile, ovf);
    fs.writeFileSync(path.join(ovfDir, "it-item.mf"), renderManifest("it-item.ovf", ovf));
    ovfServer = http.createServer((req, res) => {
        const file = path.join(ovfDir, path.basename(req.url ?? ""));
        if (!fs.existsSync(file)) {
            res.writeHead(404).end();
            return;
        }
        res.writeHead(200).end(fs.readFileSync(file));
    });
    await new Promise<void>((resolve) => ovfServer.listen(0, "127.0.0.1", resolve));
    ovfUrl = `http://127.0.0.1:${(ovfServer.address() as { port: number }).port}/it-item.ovf`;
    stack = await programStack(uniqueStackName("vsphere"), sim);
});

afterAll(async () => {
    try {
        if (stack) {
            await removeStack(stack);
        }
    } finally {
        ovfServer?.close();
        await sim?.stop();
    }
});

describe("the vSphere provider against a simulator", () => {
    it("creates folder, pool, library, item and VMs with their addresses", async () => {
        await setSpec(stack, baseSpec());
        await stack.up();
        const vms = await machines();

        const jump = await vmInfo(sim.target, vms.jump.path);
        expect(vms.jump.path).toBe("/DC0/vm/it-jump");
        expect(vms.jump.powerState).toBe("on");
        expect(jump.runtime.powerState).toBe("poweredOn");
        // Simulated DHCP: an address of 10.128.0.0/9, as the guest reports it to govc.
        expect(vms.jump.address).toMatch(/^10\.(1[2-9]\d|2[0-5]\d)\.\d+\.\d+$/);
        expect(jump.guest.ipAddress).toBe(vms.jump.address);
        expect(guestInfo(jump, "guestinfo.userdata")).toBe("#cloud-config\nhostname: it-jump\n");
        expect(JSON.parse(guestInfo(jump, "guestinfo.metadata")!)).toMatchObject({
            "local-hostname": "it-jump",
            network: { ethernets: { nics: { dhcp4: true } } },
        });
        expect(jump.config.annotation).toBe(
            "prow-build=1\nprow-job=it\nexpires-at=2030-01-01T00:00:00Z",
        );

        // Deployed from the library item into the new folder and pool, on the pool's address.
        expect(vms.bootstrap.path).toBe("/DC0/vm/prow-it/it-bootstrap");
        const bootstrap = await vmInfo(sim.target, vms.bootstrap.path);
        expect(bootstrap.config.hardware).toMatchObject({ numCPU: 4, memoryMB: 8192 });
        expect(vms.bootstrap.address).toBe("192.168.35.1");
        const pool = (
            await govc(sim.target, ["ls", "-L", `ResourcePool:${bootstrap.resourcePool.value}`])
        ).trim();
        expect(pool).toBe("/DC0/host/DC0_C0/Resources/prow-it");
        expect(JSON.parse(guestInfo(bootstrap, "guestinfo.metadata")!).network).toMatchObject({
            ethernets: {
                nics: { addresses: ["192.168.35.1/21"], routes: [{ via: "192.168.32.1" }] },
            },
        });

        const again = await stack.preview();
        expect(again.changeSummary).toEqual({ same: expect.any(Number) });
    });

    it("updates CPUs, memory, labels and power in place", async () => {
        const before = await machines();
        const spec = baseSpec();
        Object.assign(spec.vms.jump, {
            cpus: 4,
            memoryMiB: 6144,
            labels: { "prow-job": "it", "prow-build": "2" },
            powerState: "off",
        });
        await setSpec(stack, spec);
        const result = await stack.up();
        expect(result.summary.resourceChanges).toMatchObject({ update: 1 });
        const vms = await machines();
        expect(vms.jump.uuid).toBe(before.jump.uuid);
        expect(vms.jump).toMatchObject({
            cpus: 4,
            memoryMiB: 6144,
            powerState: "off",
            address: "",
        });
        const jump = await vmInfo(sim.target, vms.jump.path);
        expect(jump.runtime.powerState).toBe("poweredOff");
        expect(jump.config.annotation).toContain("prow-build=2");
    });

    it("replaces a VM whose template changes", async () => {
        const before = await moref((await machines()).jump.path);
        const spec = baseSpec();
        Object.assign(spec.vms.jump, { template: OTHER_TEMPLATE });
        await setSpec(stack, spec);
        const result = await stack.up();
        expect(result.summary.resourceChanges).toMatchObject({ replace: 1 });
        const vms = await machines();
        expect(await moref(vms.jump.path)).not.toBe(before);
        expect(vms.jump.powerState).toBe("on");
    });

    it("shows a VM powered off by hand in refresh, and up powers it on again", async () => {
        const { bootstrap } = await machines();
        await govc(sim.target, ["vm.power", "-off", bootstrap.path]);
        await stack.refresh();
        expect(await vmState("bootstrap")).toMatchObject({ powerState: "off", address: "" });
        await stack.up();
        expect((await machines()).bootstrap).toMatchObject({
            powerState: "on",
            address: "192.168.35.1",
        });
    });

    it("drops a VM deleted by hand in refresh, and up makes it again", async () => {
        const { bootstrap } = await machines();
        await govc(sim.target, ["vm.destroy", bootstrap.path]);
        await stack.refresh();
        expect(await vmState("bootstrap")).toBeUndefined();
        await stack.up();
        expect((await machines()).bootstrap.address).toBe("192.168.35.1");
    });

    it("imports a library item from a URL and deploys it", async () => {
        const spec = baseSpec();
        spec.library.source = ovfUrl;
        await setSpec(stack, spec);
        await stack.up();
        const items = JSON.parse(
            await govc(sim.target, ["library.info", "-json", "/it-library/it-item"]),
        );
        expect(items).toHaveLength(1);
        expect((await machines()).bootstrap.address).toBe("192.168.35.1");
    });

    it("destroys what is left, even when a VM is already gone", async () => {
        const { jump } = await machines();
        await govc(sim.target, ["vm.destroy", jump.path]);
        await removeStack(stack);
        stack = undefined as unknown as Stack;
        expect(await govc(sim.target, ["find", "/DC0/vm", "-type", "m", "-name", "it-*"])).toBe("");
        expect(await govc(sim.target, ["library.ls"])).not.toContain("it-library");
        expect(await govc(sim.target, ["ls", "/DC0/vm"])).not.toContain("prow-it");
    });
});

describe("the vCenter certificate vm-operator is given (CAFilePath)", () => {
    const lookup = (thumbprint: string, objects: Record<string, string> = { datacenter: "/DC0" }) =>
        inventoryIdsProvider.create!({
            url: sim.target.url,
            username: sim.target.username,
            password: sim.target.password,
            thumbprint,
            objects,
            policyNames: [],
            itemPaths: [],
        });

    /** govc with only `caFile` trusted: govmomi's soap.Client.SetRootCAs, as vm-operator's client. */
    function aboutWith(caFile?: string) {
        const env: NodeJS.ProcessEnv = {
            ...process.env,
            GOVC_URL: sim.target.url,
            GOVC_USERNAME: sim.target.username,
            GOVC_PASSWORD: sim.target.password,
            GOVC_INSECURE: "false",
            GOVC_PERSIST_SESSION: "false",
        };
        delete env.GOVC_TLS_KNOWN_HOSTS;
        delete env.GOVC_TLS_CA_CERTS;
        if (caFile) {
            env.GOVC_TLS_CA_CERTS = caFile;
        }
        return childProcess.spawnSync("govc", ["about"], { env, encoding: "utf8" });
    }

    it("is the certificate the vCenter serves, which govmomi then verifies the vCenter with", async () => {
        const { outs } = await lookup(sim.target.thumbprint!);
        const caFile = path.join(sim.dir, "vmca.pem");
        fs.writeFileSync(caFile, outs.certificate);
        const pinned = aboutWith(caFile);
        expect([pinned.status, pinned.stderr]).toEqual([0, ""]);
        expect(pinned.stdout).toContain("VMware vCenter Server");
        // Verification is on: with nothing, or another certificate, trusted, govmomi refuses.
        expect(aboutWith().stderr).toMatch(/x509|certificate/);
        const otherDir = fs.mkdtempSync(path.join(sim.dir, "other-"));
        const other = selfSignedCertificate(otherDir, "127.0.0.1", "IP:127.0.0.1");
        const refused = aboutWith(other.certFile);
        expect(refused.status).not.toBe(0);
        expect(refused.stderr).toMatch(/x509|certificate/);
    });

    it("is refused when the vCenter's certificate is not the pinned one", async () => {
        const wrong = Array(32).fill("AB").join(":");
        // govc refuses it first where there are objects to look up; the certificate read too.
        await expect(lookup(wrong)).rejects.toThrow(`thumbprint does not match "${wrong}"`);
        await expect(lookup(wrong, {})).rejects.toThrow(`not the pinned ${wrong}`);
    });
});

describe("bad input", () => {
    let bad: Stack;

    beforeAll(async () => {
        bad = await programStack(uniqueStackName("vsphere-bad"), sim);
    });

    afterAll(async () => {
        await removeStack(bad);
    });

    async function previewError(vm: object): Promise<string> {
        await setSpec(bad, { vms: { bad: { name: "it-bad", template: TEMPLATE, ...vm } } });
        try {
            await bad.preview();
        } catch (err) {
            return String(err);
        }
        throw new Error("preview accepted bad input");
    }

    it.each([
        [{ cpus: 0 }, /cpus must be an integer from 1/],
        [{ memoryMiB: 1023 }, /memoryMiB must be a multiple of 4/],
        [{ memoryMiB: 2 }, /memoryMiB must be an integer from 4/],
        [{ template: "/DC0/vm/no-such-template" }, /template names no VM or template/],
        [{ datastore: "/DC0/datastore/nope" }, /datastore names no datastore/],
        [{ network: "/DC0/network/nope" }, /network names no network/],
        [
            { addressPool: { ...POOL, addresses: ["192.168.35.0"] }, addressIndex: 3 },
            /addressPool is too small/,
        ],
    ])("refuses %j at preview, naming the property", async (vm, message) => {
        expect(await previewError(vm)).toMatch(message);
    });

    it("names the configuration key a property comes from", async () => {
        const error = await previewError({
            template: "/DC0/vm/no-such-template",
            inputSources: { template: "vmcTemplate" },
        });
        expect(error).toMatch(/template \(from vmcTemplate\) names no VM or template/);
        expect(await govc(sim.target, ["find", "/DC0/vm", "-type", "m", "-name", "it-bad"])).toBe(
            "",
        );
    });

    // The engine stops a preview at the first check that fails: one bad name per preview.
    it.each([
        [
            "VM",
            {
                vms: {
                    bad: { name: "-u=evil", template: TEMPLATE, inputSources: { name: "vmName" } },
                },
            },
            /name \(from vmName\) must be .*not starting with '-'; got \\?"-u=evil\\?"/,
        ],
        [
            "folder",
            { folder: "/DC0/vm/-u=evil", vms: {}, sources: { folder: { path: "vsphereFolder" } } },
            /path \(from vsphereFolder\) must be .*elements do not start with '-'; got \\?"\/DC0\/vm\/-u=evil\\?"/,
        ],
        [
            "library item",
            {
                library: { name: "it-bad-library", item: "-u=evil", source: "$ovf" },
                vms: {},
                sources: { item: { name: "libraryItems" } },
            },
            /name \(from libraryItems\) must be .*not starting with '-'; got \\?"-u=evil\\?"/,
        ],
    ])(
        "refuses a %s named -u=evil (govc's URL flag) at preview, naming its key",
        async (_, spec, message) => {
            const library = (spec as { library?: object }).library;
            await setSpec(
                bad,
                library ? { ...spec, library: { ...library, source: ovfFile } } : spec,
            );
            const error = await bad.preview().then(
                () => "preview accepted bad input",
                (err: unknown) => String(err),
            );
            expect(error).toMatch(message);
            expect(await govc(sim.target, ["ls", "/DC0/vm"])).not.toContain("evil");
            expect(await govc(sim.target, ["library.ls"])).not.toContain("it-bad-library");
        },
    );
});
