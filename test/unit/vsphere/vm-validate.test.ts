import { checkFailures } from "../../../providers/vsphere/check-failures";
import { libraryProvider } from "../../../providers/vsphere/content-library";
import { folderProvider } from "../../../providers/vsphere/folder";
import { checkAbsolutePath } from "../../../providers/vsphere/names";
import { libraryItemProvider } from "../../../providers/vsphere/library-item";
import { poolProvider } from "../../../providers/vsphere/resource-pool";
import { validateVm } from "../../../providers/vsphere/vm-validate";
import { vmInputs } from "./fixtures";

const fields = (overrides: object) => validateVm(vmInputs(overrides)).map((i) => i.field);

describe("VM validation", () => {
    it("accepts the defaults", () => {
        expect(validateVm(vmInputs())).toEqual([]);
    });

    it.each([
        [{ cpus: 0 }, "cpus", /integer from 1 to 768; got 0/],
        [{ cpus: 1.5 }, "cpus", /integer/],
        [{ memoryMiB: 1023 }, "memoryMiB", /multiple of 4; got 1023/],
        [{ memoryMiB: 0 }, "memoryMiB", /from 4 to/],
        [{ diskGiB: 0 }, "diskGiB", /from 1/],
        [{ powerState: "suspended" }, "powerState", /one of on, off/],
        [{ name: "a/b" }, "name", /without '\/'/],
        [{ name: "-u=evil" }, "name", /not starting with '-'; got "-u=evil"/],
        [{ expiresAt: "tomorrow" }, "expiresAt", /RFC 3339/],
        [{ addressTimeoutSeconds: 0 }, "addressTimeoutSeconds", /from 1/],
        [{ libraryItem: "/lib/item" }, "libraryItem", /exactly one of template and libraryItem/],
        [{ template: undefined }, "template", /exactly one/],
    ])("refuses %j, naming %s", (overrides, field, message) => {
        const issues = validateVm(vmInputs(overrides as object));
        expect(issues.map((i) => i.field)).toContain(field);
        expect(issues.find((i) => i.field === field)!.message).toMatch(message);
    });

    it("refuses a pool without the VM's address, and a malformed pool part by part", () => {
        const pool = { addresses: ["10.0.0.1-10.0.0.2"], gateway: "10.0.0.254", prefix: 24 };
        expect(fields({ addressPool: pool, addressIndex: 1 })).toEqual([]);
        const issues = validateVm(vmInputs({ addressPool: pool, addressIndex: 2 }));
        expect(issues).toEqual([
            {
                field: "addressPool",
                message: "is too small: it has no address at index 2 (addressIndex)",
            },
        ]);
        expect(fields({ addressPool: { ...pool, gateway: "x" } })).toEqual(["addressPool.gateway"]);
    });

    it("names where a property comes from in check failures", () => {
        const issues = validateVm(vmInputs({ cpus: 0 }));
        expect(checkFailures(issues, { cpus: "vmcJumpHostCpus" })).toEqual([
            {
                property: "cpus",
                reason: "cpus (from vmcJumpHostCpus) must be an integer from 1 to 768; got 0",
            },
        ]);
    });
});

describe("names and paths govc would read as flags", () => {
    const session = vmInputs().session;
    const props = { session, password: "s3cret" };

    it.each([
        ["a folder", folderProvider, { path: "/DC0/vm/-u=evil" }, "path", "vsphereFolder"],
        ["a folder's parent", folderProvider, { path: "/DC0/-vm/ci" }, "path", "vsphereFolder"],
        ["a pool", poolProvider, { path: "/DC0/host/C0/Resources/-x" }, "path", "pool"],
        ["a library", libraryProvider, { name: "-u=evil", datastore: "ds" }, "name", "lib"],
        [
            "a library item",
            libraryItemProvider,
            { library: "ci", name: "-u=evil", source: "https://x.example/a.ova" },
            "name",
            "supervisorLibraryItems",
        ],
    ])("refuses %s at check, naming the property and its key", async (_, p, inputs, field, key) => {
        const news = { ...props, ...inputs, inputSources: { [field]: key } };
        const { failures } = await p.check!({}, news);
        expect(failures).toEqual([
            {
                property: field,
                reason: expect.stringMatching(
                    new RegExp(`^${field} \\(from ${key}\\) must be .*not start.* with '-'`),
                ),
            },
        ]);
    });

    it("accepts names and paths with a '-' inside", () => {
        expect(validateVm(vmInputs({ name: "capv-e2e-1" }))).toEqual([]);
        expect(checkAbsolutePath("path", "/SDDC-Datacenter/vm/prow-ci")).toEqual([]);
        expect(checkAbsolutePath("path", "/DC0")).toHaveLength(1);
    });
});
