import { checkFailures } from "../../../providers/vsphere/check-failures";
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
