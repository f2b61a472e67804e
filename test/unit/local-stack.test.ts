import * as path from "path";
import { isSecret, ofType, recorded, settle, setupMocks, unwrap } from "../support/mocks";
import type * as ConfigModule from "../../stacks/config";
import type * as LocalModule from "../../stacks/local";
import type * as ControllerModule from "../../components/vcsim";

const SIMULATOR = "pulumi-nodejs:dynamic/vcsim:VCenterSimulator";
const ENDPOINT = "pulumi-nodejs:dynamic/vcsim:ControlPlaneEndpoint";
const ENVVAR = "pulumi-nodejs:dynamic/vcsim:EnvVar";

let config: typeof ConfigModule;
let stack: typeof LocalModule;
let controller: typeof ControllerModule;

beforeAll(async () => {
    await setupMocks({ stack: "local" });
    config = await import("../../stacks/config");
    stack = await import("../../stacks/local");
    controller = await import("../../components/vcsim");
});

afterAll(() => settle());

/** The local settings of a stack with no configuration. */
function localSettings(): ConfigModule.LocalSettings {
    const settings = config.readSettings(
        { get: () => undefined, getSecret: () => undefined },
        "local",
        path.resolve(__dirname, "../.."),
    );
    if (settings.composition !== "local") throw new Error("expected local");
    return settings;
}

async function composeLocal() {
    const settings = localSettings();
    const outputs = await stack.local(settings);
    await unwrap(outputs.envFile); // every resource has registered once the last output resolves
    return { settings, outputs };
}

describe("the local composition", () => {
    it("registers a simulator, an endpoint named after the cluster and its variables", async () => {
        const { settings } = await composeLocal();
        expect(recorded.map((r) => r.type)).toEqual(
            expect.arrayContaining([
                "k8sci:supervisor:VcsimController",
                SIMULATOR,
                ENDPOINT,
                ENVVAR,
            ]),
        );
        expect(ofType(SIMULATOR)[0].inputs).toMatchObject({
            stackDir: settings.stackDir,
            model: settings.simulator,
            username: "administrator@vsphere.local",
        });
        expect(ofType(ENDPOINT)[0]).toMatchObject({
            name: "cluster1",
            inputs: {
                clusterName: "cluster1",
                owner: settings.stackDir,
                ports: { min: 20000, max: 24000 },
                host: "127.0.0.1",
            },
        });
    });

    it("feeds the variables from the simulator's and the endpoint's outputs", async () => {
        await composeLocal();
        const envVar = ofType(ENVVAR).at(-1)!;
        expect(envVar.inputs).toMatchObject({
            mode: "govmomi",
            fileName: "vcsim.env",
            endpoint: { host: "127.0.0.1", port: 20001 },
            simulator: { server: "127.0.0.1:40443", password: "mock-password" },
        });
    });

    it("parents every resource on the controller component", async () => {
        const settings = localSettings();
        const component = new controller.VcsimEnvironment("parented", {
            stackDir: "/tmp/x",
            model: settings.simulator,
            cluster: { ...settings.cluster, name: "parented-cluster" },
            mode: "govmomi",
            endpointPorts: settings.endpointPorts,
            leaseDir: "/tmp/leases",
        });
        for (const child of [component.simulator, component.endpoint, component.envVar]) {
            expect(await unwrap(child.urn)).toContain(
                "k8sci:supervisor:VcsimController$pulumi-nodejs:dynamic/vcsim:",
            );
        }
    });

    it("marks credentials secret in the stack outputs", async () => {
        const { outputs } = await composeLocal();
        expect(await isSecret(outputs.vcenterPassword)).toBe(true);
        expect(await isSecret(outputs.clusterVariables)).toBe(true);
        expect(await isSecret(outputs.vcenterServer)).toBe(false);
    });
});

describe("VcsimEnvironment args", () => {
    it("are refused before any child exists, naming the arg", () => {
        const settings = localSettings();
        const before = recorded.length;
        expect(
            () =>
                new controller.VcsimEnvironment("bad", {
                    stackDir: "/tmp/x",
                    model: { ...settings.simulator, datacenters: 0 },
                    cluster: { ...settings.cluster, datastore: 3 },
                    mode: "govmomi",
                    endpointPorts: settings.endpointPorts,
                    leaseDir: "/tmp/leases",
                }),
        ).toThrow(
            /bad: model\.datacenters must be an integer from 1 to 10; got 0\nbad: cluster\.datastore/,
        );
        expect(
            recorded.slice(before).filter((r) => r.type !== "k8sci:supervisor:VcsimController"),
        ).toEqual([]);
    });
});
