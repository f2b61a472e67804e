import * as path from "path";
import { settle, setupMocks } from "../../support/mocks";
import type * as ConfigModule from "../../../stacks/config";

const ROOT = path.resolve(__dirname, "../../..");
let config: typeof ConfigModule;

beforeAll(async () => {
    await setupMocks();
    config = await import("../../../stacks/config");
});

afterAll(() => settle());

/** The ci stack's DevStack configuration from `values` (no secrets). */
function read(values: Record<string, string>) {
    const all: Record<string, string> = {
        composition: "ci",
        ciEnvironments: '["devstack"]',
        gcpProject: "capo-boskos-17",
        gcpProjectLeased: "true",
        ...values,
    };
    const settings = config.readSettings(
        { get: (key) => all[key], getSecret: () => undefined },
        "ci-1",
        ROOT,
    );
    if (settings.composition !== "ci" || !settings.devstack) throw new Error("expected a devstack");
    return settings.devstack;
}

/** The lines of the configuration error `values` raise. */
function errorLines(values: Record<string, string>): string[] {
    try {
        read(values);
    } catch (err) {
        return String((err as Error).message)
            .split("\n")
            .slice(1);
    }
    throw new Error("expected a configuration error");
}

describe("the ci stack's DevStack keys", () => {
    it("places the worker in gcpZone unless gcpWorkerZone says otherwise, and reads the images", () => {
        expect(read({ gcpZone: "us-east4-b" })).toMatchObject({
            zone: "us-east4-b",
            workerZone: "us-east4-b",
        });
        expect(read({ gcpWorkerZone: "us-east4-c" })).toMatchObject({
            zone: "us-east4-a",
            workerZone: "us-east4-c",
        });
        expect(read({ devstackImages: '["https://example.org/cirros.img"]' }).images).toEqual([
            "https://example.org/cirros.img",
        ]);
    });

    it("reports every issue at once, gcpProject's too", () => {
        expect(
            errorLines({
                gcpProject: "",
                devstackSourceRanges: "[]",
                devstackName: "c".repeat(41),
            }),
        ).toEqual([
            "k8s-ci-envs:gcpProject is required when ciEnvironments lists devstack",
            expect.stringMatching(/^k8s-ci-envs:devstackName must be at most 38 characters/),
            expect.stringMatching(/^k8s-ci-envs:devstackSourceRanges must list at least one CIDR/),
        ]);
    });

    it.each([
        [
            { devstackFloatingRange: "10.0.0.0/8" },
            "k8s-ci-envs:devstackFloatingRange must not overlap devstackPrivateCidr 10.0.3.0/24; got 10.0.0.0/8",
        ],
        [
            { devstackControllerIp: "10.9.9.9" },
            "k8s-ci-envs:devstackControllerIp 10.9.9.9 is outside devstackPrivateCidr 10.0.3.0/24",
        ],
        [
            { devstackWorkerIp: "10.0.3.15" },
            "k8s-ci-envs:devstackWorkerIp must differ from devstackControllerIp (10.0.3.15)",
        ],
        [
            { devstackSecondaryAz: "testaz1" },
            "k8s-ci-envs:devstackSecondaryAz must differ from devstackPrimaryAz (testaz1)",
        ],
        [
            { gcpZone: "us-east4-d" },
            "k8s-ci-envs:gcpZone must be one of gcpZones (us-east4-a, us-east4-b, us-east4-c), the fallback order; got us-east4-d",
        ],
        [
            { devstackWorkerMachineType: "c3d-standard-8" },
            "k8s-ci-envs:devstackMinCpuPlatform is an Intel platform (Intel Cascade Lake), but devstackWorkerMachineType c3d-standard-8 has AMD CPUs: use an AMD platform or an Intel machine family",
        ],
    ])("names other settings by their keys: %j", (values, line) => {
        expect(errorLines(values)).toEqual([line]);
    });
});
