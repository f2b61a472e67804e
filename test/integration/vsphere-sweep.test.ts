/**
 * The janitor's vSphere sweep (what CAPV's janitor removes under a run's folder and pool) on a
 * real simulator, through govc: a dry run changes nothing; the sweep destroys the run's VMs but
 * a template and a VM whose annotation keeps it, then the emptied pools and folders. A VM, a
 * folder and a pool named like govc's URL flag go too, each govc argv ending its flags with `--`.
 */
import { govc } from "../../providers/govc/runner";
import { planSweep, sweep } from "../../run/vsphere-sweep";
import {
    EVIL,
    positionals,
    positionalsBeforeDashes,
    recordGovc,
    RecordingGovc,
} from "../support/govc-argv";
import { startTestSimulator, TestSimulator } from "../support/vsphere-harness";

jest.setTimeout(5 * 60 * 1000);

const FOLDER = "/DC0/vm/ci-run-7";
const POOL = "/DC0/host/DC0_C0/Resources/ci-run-7";
const NOW = new Date("2026-11-26T12:00:00Z");

let sim: TestSimulator;
let recording: RecordingGovc;
const g = (...args: string[]) => govc(sim.target, args);
const found = async (root: string, type: string) =>
    (await g("find", "-type", type, "--", root)).split("\n").filter((p) => p !== "" && p !== root);

/** A powered-on VM in `folder` on the run's pool. */
async function vm(folder: string, name: string): Promise<string> {
    await g(
        "vm.create",
        "-folder",
        folder,
        "-pool",
        `${POOL}/workers`,
        "-net",
        "VM Network",
        "-on=true",
        "--",
        name,
    );
    return `${folder}/${name}`;
}

beforeAll(async () => {
    sim = await startTestSimulator();
    for (const folder of [
        FOLDER,
        `${FOLDER}/a`,
        `${FOLDER}/a/b`,
        `${FOLDER}/keep`,
        `${FOLDER}/tpl`,
        `${FOLDER}/${EVIL}`,
    ]) {
        await g("folder.create", "--", folder);
    }
    for (const pool of [POOL, `${POOL}/workers`, `${POOL}/workers/inner`, `${POOL}/${EVIL}`]) {
        await g("pool.create", "--", pool);
    }
    await vm(`${FOLDER}/${EVIL}`, EVIL);
    await vm(`${FOLDER}/a/b`, "machine-1");
    await vm(FOLDER, "machine-2");
    const kept = await vm(`${FOLDER}/keep`, "debug-me");
    await g("vm.change", "-vm", kept, "-annotation", "keep-at-least-until=2026-11-27T00:00:00Z");
    const expired = await vm(`${FOLDER}/a`, "was-kept");
    await g("vm.change", "-vm", expired, "-annotation", "keep-at-least-until=2026-11-26T00:00:00Z");
    const template = await vm(`${FOLDER}/tpl`, "template-1");
    await g("vm.power", "-off", "-force", template);
    await g("vm.markastemplate", template);
    recording = recordGovc(); // the sweep's govc commands from here on
});

afterAll(async () => {
    recording?.restore();
    await sim?.stop();
});

/** Each govc argv since the last call: none takes a positional before `--`. */
function expectDashesBeforePositionals(): string[][] {
    const argvs = recording.take();
    expect(argvs.length).toBeGreaterThan(0);
    expect(argvs.map((a) => [a.join(" "), positionalsBeforeDashes(a)])).toEqual(
        argvs.map((a) => [a.join(" "), []]),
    );
    return argvs;
}

/** How many of the argvs name an object of the `-u=evil` names. */
const evilPositionals = (argvs: string[][]) =>
    argvs.flatMap(positionals).filter((p) => p.includes(EVIL)).length;

describe("the janitor's vSphere sweep", () => {
    it("plans, in a dry run, without changing anything", async () => {
        const before = [await found(FOLDER, "m"), await found(FOLDER, "f"), await found(POOL, "p")];
        const actions = await planSweep(sim.target, FOLDER, POOL, NOW);
        expect(actions.map((a) => a.what).sort()).toEqual(
            [
                `power off and destroy VM ${FOLDER}/a/b/machine-1`,
                `power off and destroy VM ${FOLDER}/machine-2`,
                `power off and destroy VM ${FOLDER}/a/was-kept`,
                `destroy resource pool ${POOL}/workers/inner`,
                `destroy resource pool ${POOL}/workers`,
                `destroy folder ${FOLDER}/a/b`,
                `destroy folder ${FOLDER}/a`,
                `power off and destroy VM ${FOLDER}/${EVIL}/${EVIL}`,
                `destroy resource pool ${POOL}/${EVIL}`,
                `destroy folder ${FOLDER}/${EVIL}`,
            ].sort(),
        );
        // The find of each kind, vm.info of each VM: every path after `--`.
        expect(evilPositionals(expectDashesBeforePositionals())).toBe(1);
        // Deepest first, pools before folders.
        const order = actions.map((a) => a.what);
        expect(order.indexOf(`destroy folder ${FOLDER}/a/b`)).toBeLessThan(
            order.indexOf(`destroy folder ${FOLDER}/a`),
        );
        expect(order.indexOf(`destroy resource pool ${POOL}/workers/inner`)).toBeLessThan(
            order.indexOf(`destroy resource pool ${POOL}/workers`),
        );
        expect([
            await found(FOLDER, "m"),
            await found(FOLDER, "f"),
            await found(POOL, "p"),
        ]).toEqual(before);
    });

    it("destroys the run's VMs, pools and emptied folders, keeping the template and the kept VM", async () => {
        const lines: string[] = [];
        const failures = await sweep(
            sim.target,
            await planSweep(sim.target, FOLDER, POOL, NOW),
            (line) => lines.push(line),
        );
        expect(failures).toEqual([]);
        // vm.info, vm.power and vm.destroy of the VM, pool.destroy, object.destroy.
        expect(evilPositionals(expectDashesBeforePositionals())).toBe(5);
        expect((await found(FOLDER, "m")).sort()).toEqual(
            [`${FOLDER}/keep/debug-me`, `${FOLDER}/tpl/template-1`].sort(),
        );
        expect((await found(FOLDER, "f")).sort()).toEqual([`${FOLDER}/keep`, `${FOLDER}/tpl`]);
        expect(await found(POOL, "p")).toEqual([]);
        expect(lines.join("")).toContain(`done: power off and destroy VM ${FOLDER}/machine-2`);
        // Once the kept VM's time has passed, a later sweep takes it, and its folder.
        const later = await planSweep(sim.target, FOLDER, POOL, new Date("2026-11-28T00:00:00Z"));
        expect(later.map((a) => a.what)).toEqual([
            `power off and destroy VM ${FOLDER}/keep/debug-me`,
            `destroy folder ${FOLDER}/keep`,
        ]);
    });
});
