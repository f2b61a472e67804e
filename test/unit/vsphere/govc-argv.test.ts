/**
 * Every govc command the providers run ends its flags with `--` before positional values, so a
 * name such as `-u=evil` (govc's URL flag) reaches govc as a name, never as a flag. A fake govc
 * on PATH records each argv and answers as vCenter would; each argv is then read the way Go's
 * flag package reads it.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tls from "tls";
import { libraryCommands } from "../../../providers/vcsim/simulator";
import {
    DEFAULT_MODEL,
    planInventory,
    shapingCommands,
    templateCommands,
} from "../../../providers/vcsim";
import { libraryProvider } from "../../../providers/vsphere/content-library";
import { folderProvider } from "../../../providers/vsphere/folder";
import { exists, InventoryKind } from "../../../providers/vsphere/inventory-check";
import { inventoryIdsProvider } from "../../../providers/vsphere/inventory-ids";
import { libraryItemProvider } from "../../../providers/vsphere/library-item";
import { poolProvider } from "../../../providers/vsphere/resource-pool";
import { virtualMachineProvider } from "../../../providers/vsphere/vm-provider";
import { selfSignedCertificate } from "../../support/certificates";
import { EVIL, positionals, positionalsBeforeDashes } from "../../support/govc-argv";
import { vmInputs, vmOutputs } from "./fixtures";

const FAKE_GOVC = `#!/usr/bin/env node
const fs = require("fs");
const argv = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_GOVC_LOG, JSON.stringify(argv) + "\\n");
const vm = {
    self: { type: "VirtualMachine", value: "vm-1" },
    config: { instanceUuid: "u-1", annotation: "", hardware: { numCPU: 2, memoryMB: 4096 } },
    runtime: { powerState: "poweredOn" },
    guest: { ipAddress: "10.0.0.5" },
};
const answers = {
    "vm.info": JSON.stringify({ virtualMachines: [vm] }),
    "pool.info": JSON.stringify({ resourcePools: [{}] }),
    "library.info": JSON.stringify([{ id: "item-1" }]),
    "library.create": "lib-1",
    "storage.policy.info": JSON.stringify({ policies: [{ profile: { profileId: { uniqueId: "p-1" } } }] }),
    find: "Folder:group-1",
    ls: argv.includes("-L") ? "/DC0/vm/${EVIL}" : "",
};
process.stdout.write((answers[argv[0]] ?? "") + "\\n");
`;

let dir: string;
let log: string;
const savedPath = process.env.PATH;
const onExit: (() => void)[] = [];

beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "govc-argv-"));
    log = path.join(dir, "argv.log");
    fs.writeFileSync(path.join(dir, "govc"), FAKE_GOVC, { mode: 0o755 });
    process.env.PATH = `${dir}:${savedPath}`;
    process.env.FAKE_GOVC_LOG = log;
});

afterAll(() => {
    onExit.forEach((f) => f());
    process.env.PATH = savedPath;
    delete process.env.FAKE_GOVC_LOG;
    fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => fs.rmSync(log, { force: true }));

function recorded(): string[][] {
    return fs
        .readFileSync(log, "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as string[]);
}

const session = vmInputs().session;
const props = { session, password: "s3cret", inputSources: {} };

/** Runs `body`, then checks every govc argv it made, and that `evil` values went as positionals. */
async function expectDashesBeforePositionals(body: () => Promise<unknown>, evil: number) {
    await body();
    const argvs = recorded();
    expect(argvs.length).toBeGreaterThan(0);
    expect(argvs.map((a) => [a.join(" "), positionalsBeforeDashes(a)])).toEqual(
        argvs.map((a) => [a.join(" "), []]),
    );
    const evilPositionals = argvs.flatMap(positionals).filter((p) => p.includes(EVIL));
    expect(evilPositionals.length).toBeGreaterThanOrEqual(evil);
}

// Each case runs the fake govc many times: a loaded machine needs more than jest's 5 s.
jest.setTimeout(60_000);

describe("govc's argv, for names and paths starting with '-'", () => {
    it("folders: create, exists, remove", async () => {
        const folder = { ...props, path: `/DC0/vm/${EVIL}` };
        await expectDashesBeforePositionals(async () => {
            await folderProvider.create!(folder);
            await folderProvider.read!(folder.path, folder);
            await folderProvider.delete!(folder.path, folder);
        }, 3);
    });

    it("resource pools: create, exists, remove", async () => {
        const pool = { ...props, path: `/DC0/host/C0/Resources/${EVIL}` };
        await expectDashesBeforePositionals(async () => {
            await poolProvider.create!(pool);
            await poolProvider.delete!(pool.path, pool);
        }, 2);
    });

    it("content libraries and items: create, import, exists, remove", async () => {
        const library = { ...props, name: EVIL, datastore: "/DC0/datastore/ds" };
        const item = { ...props, library: EVIL, name: EVIL, source: "/tmp/x.ovf" };
        await expectDashesBeforePositionals(async () => {
            await libraryProvider.create!(library);
            await libraryProvider.delete!("lib-1", library);
            await libraryItemProvider.create!(item);
            await libraryItemProvider.delete!(`/${EVIL}/${EVIL}`, item);
        }, 4);
    });

    it("VMs: clone, deploy, read, update, delete", async () => {
        const vm = vmInputs({ name: EVIL, folder: `/DC0/vm/${EVIL}`, powerState: "on" });
        const deployed = vmInputs({ ...vm, template: undefined, libraryItem: `/${EVIL}/${EVIL}` });
        const old = vmOutputs({ ...vm, path: `/DC0/vm/${EVIL}` });
        await expectDashesBeforePositionals(async () => {
            await virtualMachineProvider.create!(vm);
            await virtualMachineProvider.create!(deployed);
            await virtualMachineProvider.read!(old.uuid, old);
            await virtualMachineProvider.update!(old.uuid, old, {
                ...vm,
                network: "/DC0/network/other",
                diskGiB: 40,
                cpus: 4,
            });
            await virtualMachineProvider.delete!(old.uuid, old);
        }, 6);
    });

    it("inventory checks of every kind", async () => {
        const kinds: InventoryKind[] = [
            "template",
            "libraryItem",
            "library",
            "datastore",
            "network",
            "folder",
            "resourcePool",
        ];
        await expectDashesBeforePositionals(async () => {
            for (const kind of kinds) {
                await exists({ url: "https://vc/sdk", username: "u", password: "p" }, kind, EVIL);
            }
        }, kinds.length);
    });

    it("the inventory id lookup", async () => {
        // It also reads the vCenter's certificate: a TLS server stands in for it.
        const { cert, key } = selfSignedCertificate(dir, "vc.test");
        const server = tls.createServer({ cert, key }, (socket) => socket.end());
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        onExit.push(() => server.close());
        const inputs = {
            url: `https://127.0.0.1:${(server.address() as { port: number }).port}/sdk`,
            username: "u",
            password: "p",
            thumbprint: new crypto.X509Certificate(cert).fingerprint256,
            objects: { folder: `/DC0/vm/${EVIL}` },
            policyNames: [EVIL],
            itemPaths: [`/${EVIL}/${EVIL}`],
        };
        await expectDashesBeforePositionals(() => inventoryIdsProvider.create!(inputs), 3);
    });

    it("the simulator's shaping, templates and content library", async () => {
        const model = { ...DEFAULT_MODEL, contentLibrary: EVIL, templates: [EVIL] };
        // vcsim-host runs them (on every start), as govc argv.
        const commands = [
            ...shapingCommands(model, "/ds"),
            ...templateCommands(model),
            ...libraryCommands(model, planInventory(model), dir),
        ];
        expect(commands.filter((a) => a[0].startsWith("library.")).length).toBe(2);
        expect(commands.map((a) => [a.join(" "), positionalsBeforeDashes(a)])).toEqual(
            commands.map((a) => [a.join(" "), []]),
        );
    });
});
