/**
 * The one Pulumi mocks helper of the unit tests. Call `setupMocks` in `beforeAll`, then import the
 * code under test dynamically: the SDK must see the mocks before any resource module loads.
 */
import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "../stacks/config";
import { planInventory, SimulatorModel } from "../providers/vcsim";

/** A resource the program registered, as the mocks saw it. */
export interface RecordedResource {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
    id: string;
}

export const recorded: RecordedResource[] = [];

/** Outputs the real provider would compute, per resource type, from the inputs. */
const computed: Record<string, (inputs: Record<string, unknown>) => Record<string, unknown>> = {
    "pulumi-nodejs:dynamic/vcsim:VCenterSimulator": (inputs) => ({
        server: "127.0.0.1:40443",
        url: "https://127.0.0.1:40443/sdk",
        port: 40443,
        password: "mock-password",
        thumbprint: Array(32).fill("AB").join(":"),
        pid: 4242,
        dir: "/mock/vcsim/0001",
        inventory: planInventory(inputs.model as SimulatorModel),
    }),
    "pulumi-nodejs:dynamic/vcsim:ControlPlaneEndpoint": () => ({ port: 20001 }),
    "pulumi-nodejs:dynamic/vcsim:EnvVar": (inputs) => ({
        path: `${String(inputs.stackDir)}/vcsim.env`,
        variables: { CLUSTER_NAME: "mock" },
        sshAuthorizedKey: "ssh-rsa AAAA mock",
    }),
};

export interface MockOptions {
    /** Configuration of this project, by key without the namespace. */
    config?: Record<string, string>;
    /** Keys of `config` that are secrets. */
    secretKeys?: string[];
    stack?: string;
    /** Run as `pulumi preview` would (unknown outputs). */
    preview?: boolean;
}

export async function setupMocks(options: MockOptions = {}): Promise<void> {
    recorded.length = 0;
    const config = Object.fromEntries(
        Object.entries(options.config ?? {}).map(([k, v]) => [`${PROJECT}:${k}`, v]),
    );
    const secretKeys = (options.secretKeys ?? []).map((k) => `${PROJECT}:${k}`);
    pulumi.runtime.setAllConfig(config, secretKeys);
    await pulumi.runtime.setMocks(
        {
            newResource(args: pulumi.runtime.MockResourceArgs) {
                const id = `${args.name}-id`;
                recorded.push({ type: args.type, name: args.name, inputs: args.inputs, id });
                const extra = computed[args.type]?.(args.inputs) ?? {};
                return { id, state: { ...args.inputs, ...extra } };
            },
            call(args: pulumi.runtime.MockCallArgs) {
                return args.inputs;
            },
        },
        PROJECT,
        options.stack ?? "unit",
        options.preview ?? false,
    );
}

/** The value of an Output (or a plain value), for assertions. */
export function unwrap<T>(value: pulumi.Output<T> | T): Promise<T> {
    return new Promise((resolve) =>
        pulumi.Output.isInstance(value) ? value.apply(resolve) : resolve(value),
    );
}

/** Whether an Output is marked secret. */
export function isSecret<T>(value: pulumi.Output<T>): Promise<boolean> {
    return pulumi.isSecret(value);
}

/** Resources recorded with a type, in registration order. */
export function ofType(type: string): RecordedResource[] {
    return recorded.filter((r) => r.type === type);
}
