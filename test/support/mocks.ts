/**
 * The one Pulumi mocks helper of the unit tests. Call `setupMocks` in `beforeAll`, then import the
 * code under test dynamically: the SDK must see the mocks before any resource module loads.
 */
import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "../../stacks/config";
import { planInventory, SimulatorModel } from "../../providers/vcsim";
import { FakeCluster, startFakeCluster } from "./fake-cluster";

/** A resource the program registered, as the mocks saw it. */
export interface RecordedResource {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
    id: string;
    /** From the registration request, which Pulumi's mocks do not pass on: */
    parent: string;
    /** URNs of the resources it depends on (dependsOn and inputs). */
    dependencies: string[];
    additionalSecretOutputs: string[];
    deleteBeforeReplace: boolean;
    /** The `protect` and `retainOnDelete` options (false when unset, and for reads). */
    protect: boolean;
    retainOnDelete: boolean;
    /** The provider reference (`<urn>::<id>`) it was registered with, or "" for the default. */
    provider: string;
}

/** The fields of a RegisterResourceRequest the recorder reads. */
interface RegisterRequest {
    getParent(): string;
    getDependenciesList(): string[];
    getAdditionalsecretoutputsList(): string[];
    getDeletebeforereplace(): boolean;
    getProtect(): boolean | undefined;
    getRetainondelete(): boolean | undefined;
    getProvider(): string;
}

let pending: RegisterRequest | undefined;

/**
 * Wraps the mock monitor so each registration's options reach `newResource`: the SDK's mock
 * monitor calls it synchronously, before its first await, with only type, name and inputs.
 */
function recordRequests(): void {
    const monitor = pulumi.runtime.getMonitor() as unknown as {
        registerResource(req: RegisterRequest, callback: unknown): unknown;
        readResource(req: ReadRequest, cb: unknown): unknown;
    };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
        pending = req;
        try {
            return register(req, callback);
        } finally {
            pending = undefined;
        }
    };
    // Reads (`X.get`) too, which have no deleteBeforeReplace.
    const read = monitor.readResource.bind(monitor);
    monitor.readResource = (req, callback) => {
        pending = {
            ...bound(req),
            getDeletebeforereplace: () => false,
            getProtect: () => false,
            getRetainondelete: () => false,
        };
        try {
            return read(req, callback);
        } finally {
            pending = undefined;
        }
    };
}

/** A read's request: the options of a registration it has are not among them. */
type ReadRequest = Omit<
    RegisterRequest,
    "getDeletebeforereplace" | "getProtect" | "getRetainondelete"
>;

/** The request's getters the recorder reads, bound to it. */
function bound(req: ReadRequest) {
    return {
        getParent: () => req.getParent(),
        getDependenciesList: () => req.getDependenciesList(),
        getAdditionalsecretoutputsList: () => req.getAdditionalsecretoutputsList(),
        getProvider: () => req.getProvider(),
    };
}

export const recorded: RecordedResource[] = [];

/**
 * The admin kubeconfig a mocked LocalCluster reports, by cluster name. By default, that of one
 * fake API server per test process showing three control-plane nodes (the stack counts a stand-in
 * cluster's nodes before putting anything on it); a test can set another.
 */
let localClusterKubeconfig: ((clusterName: string) => string) | undefined;
let defaultLocalCluster: FakeCluster | undefined;

export function mockLocalClusters(kubeconfig: (clusterName: string) => string): void {
    localClusterKubeconfig = kubeconfig;
}

/**
 * What a read resource (`X.get(name, id)`) finds, by type and id. By default, as a cluster
 * would: the object the program itself registered under that id (`<namespace>/<name>`), its
 * `stringData` as base64 `data`; else nothing more.
 */
let readState: (type: string, id: string) => Record<string, unknown> = (type, id) => {
    const found = recorded.find((r) => {
        const metadata = r.inputs.metadata as { name?: string; namespace?: string } | undefined;
        return r.type === type && `${metadata?.namespace}/${metadata?.name}` === id;
    });
    const stringData = reveal<Record<string, unknown> | undefined>(found?.inputs.stringData);
    const data = Object.fromEntries(
        Object.entries(stringData ?? {}).map(([k, v]) => [
            k,
            Buffer.from(String(reveal(v))).toString("base64"),
        ]),
    );
    return found ? { ...found.inputs, data } : {};
};

export function mockReads(state: (type: string, id: string) => Record<string, unknown>): void {
    readState = state;
}

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
    "pulumi-nodejs:dynamic/kwok:LocalCluster": (inputs) => ({
        server: "https://127.0.0.1:25000",
        kubeconfig:
            localClusterKubeconfig?.(String(inputs.clusterName)) ??
            defaultLocalCluster!.kubeconfig(),
        dir: `${String(inputs.stackDir)}/kwok/clusters/${String(inputs.clusterName)}`,
    }),
    "pulumi-nodejs:dynamic/credentials:SshKeyPair": (inputs) => ({
        publicKey: `ssh-rsa AAAAmock ${String(inputs.comment)}`,
        privateKeyPem: "mock-rsa-private-key-pem",
    }),
    "pulumi-nodejs:dynamic/credentials:SshHostKey": (inputs) => ({
        publicKey: `ssh-ed25519 AAAAmock ${String(inputs.comment)}`,
        privateKey: `mock-ed25519-private-key of ${String(inputs.comment)}`,
    }),
    "pulumi-nodejs:dynamic/credentials:GeneratedPassword": () => ({
        value: "mock-generated-password",
    }),
    "pulumi-nodejs:dynamic/credentials:PgpKeyPair": () => ({
        publicKey:
            "-----BEGIN PGP PUBLIC KEY BLOCK-----\nmock\n-----END PGP PUBLIC KEY BLOCK-----\n",
        privateKey: "mock-pgp-private-key",
        fingerprint: "0123456789ABCDEF0123456789ABCDEF01234567",
    }),
    // What the TokenRequest API returns: a token that expires ttlHours after it is minted.
    "pulumi-nodejs:dynamic/tokens:ServiceAccountToken": (inputs) => {
        const issued = Date.parse("2030-01-01T00:00:00Z");
        const hours = Number(inputs.ttlHours) * 3600 * 1000;
        return {
            token: `token-of-${String(inputs.serviceAccount)}-in-${String(inputs.namespace)}`,
            issuedAt: new Date(issued).toISOString(),
            expiresAt: new Date(issued + hours).toISOString(),
            renewAfter: new Date(issued + hours / 2).toISOString(),
            renewalDue: false,
        };
    },
    "gcp:compute/instance:Instance": (inputs) => ({
        instanceId: "4242",
        networkInterfaces: (inputs.networkInterfaces as object[]).map((nic) => ({
            ...nic,
            accessConfigs: [{ natIp: "34.86.1.2" }],
        })),
    }),
    "pulumi-nodejs:dynamic/vsphere:InventoryIds": (inputs) => ({
        objectIds: Object.fromEntries(
            Object.keys(inputs.objects as object).map((k) => [k, `${k}-moid`]),
        ),
        policyIds: Object.fromEntries(
            (inputs.policyNames as string[]).map((p) => [p, `profile-of-${p}`]),
        ),
        itemIds: Object.fromEntries((inputs.itemPaths as string[]).map((i) => [i, `item-${i}`])),
        certificate: `-----BEGIN CERTIFICATE-----\nmock of ${String(inputs.url)}\n-----END CERTIFICATE-----\n`,
    }),
    // A VM's guest address: the pool's address at its index.
    "pulumi-nodejs:dynamic/vsphere:VirtualMachine": (inputs) => ({
        uuid: `4200-${String(inputs.name)}`,
        path: `${String(inputs.folder)}/${String(inputs.name)}`,
        address: `192.168.35.${10 + Number(inputs.addressIndex ?? 0)}`,
    }),
    // What kind prints on the bootstrap VM: a kubeconfig on the VM's loopback.
    "command:remote:Command": (inputs) =>
        !String(inputs.create).includes("kind get kubeconfig")
            ? {}
            : {
                  stdout: "apiVersion: v1\nkind: Config\nclusters:\n  - name: kind-bootstrap\n    cluster:\n      server: https://127.0.0.1:6443\n      certificate-authority-data: Q0E=\n",
                  stderr: "",
              },
    "pulumi-nodejs:dynamic/jobs:JobWatch": () => ({ succeeded: 1, completionTime: "mock" }),
    "pulumi-nodejs:dynamic/vcsim:EnvVar": (inputs) => ({
        path: `${String(inputs.stackDir)}/vcsim.env`,
        variables: { CLUSTER_NAME: "mock" },
        sshAuthorizedKey: "ssh-rsa AAAA mock",
    }),
};

/**
 * What a test makes the real system answer for resources of `type` (outputs from the inputs,
 * over the defaults above) until the mocks are set up again: the test states the answer that it
 * then expects the program to carry on.
 */
let answers: Record<string, (inputs: Record<string, unknown>) => Record<string, unknown>> = {};

export function mockOutputs(
    type: string,
    outputs: (inputs: Record<string, unknown>) => Record<string, unknown>,
): void {
    answers[type] = outputs;
}

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
    answers = {};
    defaultLocalCluster ??= await startFakeCluster(
        [1, 2, 3].map((i) => ({ name: `control-plane-${i}`, roles: ["control-plane"] })),
    );
    const config = Object.fromEntries(
        Object.entries(options.config ?? {}).map(([k, v]) => [`${PROJECT}:${k}`, v]),
    );
    const secretKeys = (options.secretKeys ?? []).map((k) => `${PROJECT}:${k}`);
    pulumi.runtime.setAllConfig(config, secretKeys);
    await pulumi.runtime.setMocks(
        {
            newResource(args: pulumi.runtime.MockResourceArgs) {
                const id = args.id || `${args.name}-id`;
                recorded.push({
                    type: args.type,
                    name: args.name,
                    inputs: args.inputs,
                    id,
                    parent: pending?.getParent() ?? "",
                    dependencies: pending?.getDependenciesList() ?? [],
                    additionalSecretOutputs: pending?.getAdditionalsecretoutputsList() ?? [],
                    deleteBeforeReplace: pending?.getDeletebeforereplace() ?? false,
                    protect: pending?.getProtect() ?? false,
                    retainOnDelete: pending?.getRetainondelete() ?? false,
                    provider: pending?.getProvider() ?? "",
                });
                if (args.id) {
                    return { id, state: readState(args.type, args.id) };
                }
                const extra = {
                    ...computed[args.type]?.(args.inputs),
                    ...answers[args.type]?.(args.inputs),
                };
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
    recordRequests();
}

/**
 * Waits until every registration the program started has reached the mocks, then disconnects:
 * set the mocks up again before registering more. Every test file that runs a program calls it
 * in `afterAll`, so that no registration outlives its file and fails in the next one in the
 * same worker (after its fake API server is gone).
 */
export function settle(): Promise<void> {
    return pulumi.runtime.disconnect();
}

/** The value of an Output (or a plain value), for assertions. */
export function unwrap<T>(value: pulumi.Output<T> | T): Promise<T> {
    return new Promise((resolve) =>
        pulumi.Output.isInstance(value) ? value.apply(resolve) : resolve(value),
    );
}

/** The signature with which the SDK wraps secret values it sends (and the mocks receive). */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** Whether a recorded input value was sent as a secret. */
export function isSecretInput(value: unknown): boolean {
    return typeof value === "object" && value !== null && SECRET_SIG in value;
}

/** A recorded input value with its secret wrapping removed (for content assertions). */
export function reveal<T>(value: unknown): T {
    return (isSecretInput(value) ? (value as { value: T }).value : value) as T;
}

/** Whether an Output is marked secret. */
export function isSecret<T>(value: pulumi.Output<T>): Promise<boolean> {
    return pulumi.isSecret(value);
}

/** Resources recorded with a type, in registration order. */
export function ofType(type: string): RecordedResource[] {
    return recorded.filter((r) => r.type === type);
}

/** The one resource recorded with `name`. */
export function named(name: string): RecordedResource {
    const found = recorded.filter((r) => r.name === name);
    if (found.length !== 1) {
        throw new Error(`${found.length} resources are named ${name}`);
    }
    return found[0];
}

/** The URN the mocks give a resource (for dependency assertions). */
export function urnOf(r: RecordedResource): string {
    const parentType = r.parent === "" ? "" : `${r.parent.split("::")[2]}$`;
    return `urn:pulumi:${pulumi.getStack()}::${PROJECT}::${parentType}${r.type}::${r.name}`;
}
