import * as fc from "fast-check";
import { parseCidr, nthAddress } from "../../../components/devstack/cidr";
import { vcpusOf } from "../../../components/devstack/machine-types";
import { allObjectNames } from "../../../components/devstack/names";
import {
    defaultHostIps,
    DevStackSettings,
    validateDevStack,
} from "../../../components/devstack/settings";
import { arbitraryCidr, SETTINGS } from "./fixtures";

const fields = (overrides: Partial<DevStackSettings>) =>
    validateDevStack({ ...SETTINGS, ...overrides }).map((i) => i.field);

describe("validateDevStack", () => {
    it("accepts CAPO's create_devstack.sh defaults", () => {
        expect(validateDevStack(SETTINGS)).toEqual([]);
    });

    it("refuses machine types that exceed the job's vCPU quota, saying how many they need", () => {
        const issues = validateDevStack({ ...SETTINGS, workerMachineType: "n2-standard-16" });
        expect(issues).toEqual([
            {
                field: "vcpuQuota",
                message:
                    "is 24 vCPUs, but controller n2-standard-16 (16) and worker n2-standard-16 (16) need 32",
            },
        ]);
        expect(fields({ workerMachineType: "n2-standard-16", vcpuQuota: 32 })).toEqual([]);
    });

    it.each<[Partial<DevStackSettings>, string[]]>([
        [{ controllerMachineType: "big-machine" }, ["controllerMachineType"]],
        [{ privateCidr: "10.0.3.7/24" }, ["privateCidr"]],
        [{ floatingRange: "not-a-cidr" }, ["floatingRange"]],
        [{ floatingRange: "10.0.0.0/16" }, ["floatingRange"]],
        [{ controllerIp: "10.0.4.15" }, ["controllerIp"]],
        [{ workerIp: "10.0.3.1" }, ["workerIp"]],
        [{ workerIp: "10.0.3.255" }, ["workerIp"]],
        [{ workerIp: "10.0.3.15" }, ["workerIp"]],
        [
            { zone: "europe-west1-b", workerZone: "europe-west1-b", zones: ["europe-west1-b"] },
            ["zone", "zones[0]"],
        ],
        [{ zone: "us-east4-d" }, ["zone"]],
        [{ workerZone: "us-west1-b" }, ["workerZone", "workerZone"]],
        [{ zones: ["us-east4-a", "us-west1-a"] }, ["zones[1]"]],
        [{ zones: ["us-east4-a", "us-east4-b", "us-east4-a"] }, ["zones[2]"]],
        [{ region: "east" }, ["region", "zone", "zones[0]", "zones[1]", "zones[2]"]],
        [{ project: "X" }, ["project"]],
        [{ name: "CAPO" }, ["name"]],
        [{ secondaryAz: "testaz1" }, ["secondaryAz"]],
        [{ sourceRanges: ["0.0.0.0/0", "10.1.2.3/8"] }, ["sourceRanges[1]"]],
        [{ sourceRanges: [] }, ["sourceRanges"]],
        [{ images: ["cirros.img"] }, ["images[0]"]],
        [{ minCpuPlatform: "AMD Milan" }, ["minCpuPlatform", "minCpuPlatform"]],
        [{ workerMachineType: "n2d-standard-8" }, ["minCpuPlatform"]],
        [
            {
                minCpuPlatform: "AMD Milan",
                controllerMachineType: "n2d-standard-16",
                workerMachineType: "c2d-standard-8",
            },
            [],
        ],
        [{ minCpuPlatform: "Intel Ice Lake", controllerMachineType: "e2-standard-16" }, []],
        [{ bootDiskType: "nvme" }, ["bootDiskType"]],
        [{ openstackRelease: "stable/2026.1" }, ["openstackRelease"]],
    ])("refuses %j, naming %j", (overrides, expected) => {
        expect(fields(overrides)).toEqual(expected);
    });

    it("keeps the prefix short enough for the longest name derived from it", () => {
        const at = (n: number) => "c".repeat(n);
        expect(validateDevStack({ ...SETTINGS, name: at(38) })).toEqual([]);
        expect(validateDevStack({ ...SETTINGS, name: at(39) })).toEqual([
            {
                field: "name",
                message: `must be at most 38 characters, so that ${at(39)}-mynetwork-allow-internal fits GCP's 63; got 39`,
            },
        ]);
        fc.assert(
            fc.property(fc.integer({ min: 1, max: 80 }), (n) => {
                const longest = allObjectNames(at(n)).reduce((a, b) => Math.max(a, b.length), 0);
                return fields({ name: at(n) }).includes("name") === longest > 63;
            }),
        );
    });

    it("says which AMD or Intel setting does not match", () => {
        expect(validateDevStack({ ...SETTINGS, workerMachineType: "t2d-standard-8" })).toEqual([
            {
                field: "minCpuPlatform",
                message:
                    "is an Intel platform (Intel Cascade Lake), but workerMachineType t2d-standard-8 has AMD CPUs: use an AMD platform or an Intel machine family",
            },
        ]);
    });

    it("names other settings in its messages as the caller names them (configuration keys)", () => {
        const key = (f: string) => `key:${f}`;
        const messages = validateDevStack(
            {
                ...SETTINGS,
                secondaryAz: SETTINGS.primaryAz,
                floatingRange: "10.0.0.0/8",
                workerIp: SETTINGS.controllerIp,
                zone: "us-east4-d",
            },
            key,
        ).map((i) => i.message);
        for (const field of ["primaryAz", "privateCidr", "controllerIp", "zones"]) {
            expect([field, messages.some((m) => m.includes(`key:${field} `))]).toEqual([
                field,
                true,
            ]);
            expect([field, messages.some((m) => new RegExp(`(^| )${field} `).test(m))]).toEqual([
                field,
                false,
            ]);
        }
    });

    it("finds quota issues exactly when the machines' vCPUs exceed it (random machine types)", () => {
        const family = fc.constantFrom(
            "n2-standard",
            "n2-highmem",
            "e2-standard",
            "c2-standard",
            "n1-highcpu",
        );
        const size = fc.constantFrom(2, 4, 8, 16, 32);
        fc.assert(
            fc.property(
                family,
                size,
                family,
                size,
                fc.integer({ min: 1, max: 80 }),
                (f1, n1, f2, n2, quota) => {
                    const issues = fields({
                        controllerMachineType: `${f1}-${n1}`,
                        workerMachineType: `${f2}-${n2}`,
                        vcpuQuota: quota,
                    });
                    return issues.includes("vcpuQuota") === n1 + n2 > quota && issues.length <= 1;
                },
            ),
        );
    });

    it("accepts the derived .15 and .16 in random private CIDRs, and refuses overlapping ranges", () => {
        fc.assert(
            fc.property(arbitraryCidr, arbitraryCidr, (privateCidr, floatingRange) => {
                const hosts = defaultHostIps(privateCidr);
                if (hosts === undefined) {
                    return parseCidr(privateCidr)!.prefix > 27;
                }
                const overlapping = (() => {
                    const [a, b] = [parseCidr(privateCidr)!, parseCidr(floatingRange)!];
                    return (
                        a.network < b.network + 2 ** (32 - b.prefix) &&
                        b.network < a.network + 2 ** (32 - a.prefix)
                    );
                })();
                const issues = fields({ privateCidr, floatingRange, ...hosts });
                return (
                    issues.includes("floatingRange") === overlapping &&
                    issues.every((f) => ["floatingRange", "controllerIp", "workerIp"].includes(f))
                );
            }),
        );
    });
});

describe("defaultHostIps", () => {
    it("are the .15 and .16 of the private CIDR", () => {
        expect(defaultHostIps("10.0.3.0/24")).toEqual({
            controllerIp: "10.0.3.15",
            workerIp: "10.0.3.16",
        });
        expect(defaultHostIps("192.168.64.0/20")).toEqual({
            controllerIp: "192.168.64.15",
            workerIp: "192.168.64.16",
        });
        expect(defaultHostIps("10.0.3.0/28")).toBeUndefined();
        fc.assert(
            fc.property(arbitraryCidr, (text) => {
                const cidr = parseCidr(text)!;
                return (
                    cidr.prefix > 27 || defaultHostIps(text)!.controllerIp === nthAddress(cidr, 15)
                );
            }),
        );
    });
});

describe("vcpusOf", () => {
    it.each([
        ["n2-standard-16", 16],
        ["n2-standard-8", 8],
        ["c2d-highcpu-56", 56],
        ["e2-highmem-4", 4],
        ["custom-6-23040", 6],
        ["n2-custom-12-49152-ext", 12],
        ["g2-standard-4", undefined],
        ["n2-standard", undefined],
    ])("%s has %p vCPUs", (type, vcpus) => {
        expect(vcpusOf(type)).toBe(vcpus);
    });
});
