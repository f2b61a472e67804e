import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Stack } from "@pulumi/pulumi/automation";
import { DEFAULT_MODEL, planInventory, SimulatorModel } from "../../providers/vcsim";
import { heldBy } from "../../providers/ports/leases";
import { readSupervisor, supervisorFiles } from "../../providers/supervise";
import {
    cmdline,
    storedState,
    createStack,
    envFileVariables,
    filesUnder,
    kubectl,
    listening,
    processesIn,
    removeStack,
    ROOT,
    simulatorPids,
    simulatorReady,
    stateResources,
    uniqueStackName,
    withEnvFile,
} from "../support/harness";
import {
    credentialsIn,
    distinct,
    engineLogsSince,
    environ,
    leaks,
    readableByOthers,
    stringsIn,
    textFilesUnder,
} from "../support/credentials";
import { until } from "../support/poll";
import { readWithClientNode, tokenClaims } from "../support/prow-fixtures";

const PROW_CLUSTERS = ["prow-workloads", "prow-arm64-workloads", "prow-s390x-workloads"];

// The first up builds the whole local composition: over 4 minutes on a busy 2-core machine.
jest.setTimeout(10 * 60 * 1000);

const SIMULATOR = "pulumi-nodejs:dynamic/vcsim:VCenterSimulator";
const ENDPOINT = "pulumi-nodejs:dynamic/vcsim:ControlPlaneEndpoint";

describe("the local stack on the real engine", () => {
    const name = uniqueStackName("main");
    let stack: Stack;
    let stackDir: string;
    let envFile: string;
    const startedAt = Date.now();

    beforeAll(async () => {
        stack = await createStack(name);
    });

    afterAll(async () => {
        if (fs.existsSync(path.join(ROOT, `Pulumi.${name}.yaml`))) {
            await removeStack(stack); // a test failed half-way: still leave nothing behind
        }
    });

    it("comes up with a running simulator and a 0600 vcsim.env", async () => {
        const result = await stack.up();
        expect(result.summary.result).toBe("succeeded");
        stackDir = result.outputs.stackDir.value;
        envFile = result.outputs.envFile.value;
        expect(stackDir).toBe(path.join(ROOT, "out", name));
        expect(envFile).toBe(path.join(stackDir, "vcsim.env"));
        expect(fs.statSync(envFile).mode & 0o777).toBe(0o600);
        expect(simulatorPids(stackDir)).toHaveLength(1);
        expect(result.outputs.vcenterPassword.secret).toBe(true);
        expect(result.outputs.clusterVariables.secret).toBe(true);
    });

    it("shows zero changes on a second preview", async () => {
        const preview = await stack.preview({ expectNoChanges: true });
        // Reads of objects the stack does not own (the CI secret on Prow's side) are no changes.
        expect(Object.keys(preview.changeSummary).filter((op) => op !== "read")).toEqual(["same"]);
        expect(preview.changeSummary.same).toBeGreaterThan(30);
    });

    it("lets govc, driven by vcsim.env, list the datacenter, templates and library", () => {
        const vars = envFileVariables(envFile);
        expect(vars.VSPHERE_DATACENTER).toBe("SDDC-Datacenter");
        const listing = withEnvFile(
            envFile,
            `govc ls /; govc ls "$VSPHERE_FOLDER"; govc library.ls "/${DEFAULT_MODEL.contentLibrary}/*";` +
                ` govc ls "$VSPHERE_RESOURCE_POOL" "$VSPHERE_NETWORK" "/$VSPHERE_DATACENTER/datastore/$VSPHERE_DATASTORE"`,
        );
        expect(listing).toContain("/SDDC-Datacenter\n");
        for (const template of DEFAULT_MODEL.templates) {
            expect(listing).toContain(`/SDDC-Datacenter/vm/Workloads/${template}\n`);
            expect(listing).toContain(`/${DEFAULT_MODEL.contentLibrary}/${template}\n`);
        }
        expect(
            withEnvFile(envFile, `govc object.collect -s "$VSPHERE_TEMPLATE" config.template`),
        ).toBe("true\n");
        expect(withEnvFile(envFile, "govc about")).toContain("VMware vCenter Server 7.0.0");
    });

    it("reports the thumbprint govc reads off the served certificate", () => {
        const vars = envFileVariables(envFile);
        const fromGovc = withEnvFile(envFile, "govc about.cert -thumbprint").trim().split(" ")[1];
        expect(vars.VSPHERE_TLS_THUMBPRINT).toBe(fromGovc);
    });

    it("keeps every credential out of the state, the plain outputs, argv and files others can read", async () => {
        // Each credential, found where it lives: the simulator's password in vcsim.env, the
        // clusters' client keys and Prow's tokens in the kubeconfigs, private keys (the clusters'
        // PKI, the automation key, SSH keys) in the files and the decrypted state.
        const outputs = await stack.outputs();
        const password = envFileVariables(envFile).VSPHERE_PASSWORD;
        expect(password.length).toBeGreaterThanOrEqual(20);
        const credentials = distinct([
            { what: "the simulator's password", value: password },
            ...Object.entries(outputs).flatMap(([key, o]) =>
                stringsIn(o.value).flatMap((s) => credentialsIn(s, `output ${key}`)),
            ),
            ...stringsIn(JSON.parse(storedState(name, true))).flatMap((s) =>
                credentialsIn(s, "the decrypted state"),
            ),
            ...textFilesUnder(stackDir).flatMap((f) =>
                credentialsIn(fs.readFileSync(f, "utf8"), f),
            ),
        ]);
        const whats = credentials.map((c) => c.what).join("\n");
        expect(whats).toContain("the simulator's password");
        for (const alias of PROW_CLUSTERS) {
            expect(whats).toContain(`token of user ${alias} in output prowKubeconfig`);
        }
        expect(whats).toContain(
            "client-key-data of user bootstrap-admin in output bootstrapKubeconfig",
        );
        expect(whats).toContain("a private key line in the decrypted state"); // keys, the VMs' SSH keys
        const keyFile = outputs.automationPrivateKeyFile.value as string;
        const keyLines = credentialsIn(fs.readFileSync(keyFile, "utf8"), keyFile);
        expect(keyLines.length).toBeGreaterThan(5);
        const values = new Set(credentials.map((c) => c.value));
        expect(keyLines.filter((c) => !values.has(c.value))).toEqual([]);

        const stored = JSON.parse(storedState(name));
        expect(JSON.stringify(stored)).toContain("ciphertext");
        const plainOutputs = Object.entries(outputs).filter(([, o]) => !o.secret);
        expect(plainOutputs.length).toBeGreaterThan(5);
        const readable = filesUnder(stackDir).filter(readableByOthers);
        const backend = process.env.PULUMI_BACKEND_URL!.replace(/^file:\/\//, "");
        const copies = ["backups", "history"].flatMap((d) =>
            filesUnder(path.join(backend, ".pulumi", d, "k8s-ci-envs", name)),
        );
        expect(copies.length).toBeGreaterThan(1);
        const logs = engineLogsSince(startedAt);
        const stackLogs = logs.filter((l) => path.basename(l.file).includes(`+${name}-`));
        expect(stackLogs.length).toBeGreaterThan(0);
        for (const log of stackLogs) {
            expect(log.text.startsWith("PLOG")).toBe(true); // encrypted by the stack's secrets manager
        }
        const pids = processesIn(stackDir);
        const places: Record<string, string[]> = {
            "the stored state": stringsIn(stored),
            ...Object.fromEntries(copies.map((f) => [f, [fs.readFileSync(f, "utf8")]])),
            ...Object.fromEntries(logs.map((l) => [`the engine's log ${l.file}`, [l.text]])),
            ...Object.fromEntries(
                plainOutputs.map(([key, o]) => [`output ${key}`, stringsIn(o.value)]),
            ),
            ...Object.fromEntries(pids.map((pid) => [`the argv of ${pid}`, [cmdline(pid)]])),
            ...Object.fromEntries(pids.map((pid) => [`the environment of ${pid}`, [environ(pid)]])),
            ...Object.fromEntries(readable.map((f) => [f, [fs.readFileSync(f, "utf8")]])),
        };
        console.log(
            `${credentials.length} credentials searched for in ${Object.keys(places).length} places`,
        );
        expect(leaks(credentials, places)).toEqual([]);
    });

    it("registers every fixture build cluster in Prow's secret, and Prow's kubeconfig reaches each", async () => {
        const outputs = await stack.outputs();
        const files = outputs.prowClusterKubeconfigFiles.value as Record<string, string>;
        const secret = JSON.parse(
            kubectl(files["prow-service"], [
                "get",
                "secret",
                "-n",
                "kubevirt-prow",
                "kubeconfig",
                "-o",
                "json",
            ]),
        ) as { data: { config: string } };
        const merged = Buffer.from(secret.data.config, "base64").toString();
        expect(merged).toBe(outputs.prowKubeconfig.value);
        const read = readWithClientNode(merged);
        expect(read.contexts.map((c) => c.name)).toEqual(PROW_CLUSTERS);
        expect(read.currentContext).toBe("prow-workloads");

        const mergedFile = path.join(stackDir, "prow-merged.kubeconfig");
        fs.writeFileSync(mergedFile, merged, { mode: 0o600 });
        try {
            for (const alias of PROW_CLUSTERS) {
                // Prow's service-account token, from the TokenRequest API: it names the account
                // and expires after prowTokenTtlHours (72 by default).
                const token = read.users.find((u) => u.name === alias)!.token!;
                const claims = tokenClaims(token);
                expect(claims.sub).toBe(
                    "system:serviceaccount:kubevirt-prow-jobs:prow-workloads-cluster-automation",
                );
                expect(claims.exp - claims.iat).toBe(72 * 3600);
                expect(storedState(name)).not.toContain(token);
                // It reaches the jobs namespace for pods, and nothing else there (least privilege).
                const context = ["--context", alias, "-n", "kubevirt-prow-jobs"];
                expect(kubectl(mergedFile, [...context, "get", "pods", "-o", "name"])).toBe("");
                expect(() => kubectl(mergedFile, [...context, "get", "serviceaccounts"])).toThrow(
                    /Forbidden/,
                );
                expect(
                    kubectl(mergedFile, [
                        "--context",
                        alias,
                        "auth",
                        "can-i",
                        "create",
                        "pods",
                        "-n",
                        "kubevirt-prow-jobs",
                    ]).trim(),
                ).toBe("yes");
            }
        } finally {
            fs.rmSync(mergedFile);
        }
        expect(outputs.prowKubeconfig.secret).toBe(true);
    });

    it("encrypts each cluster's kubeconfig so that gpg, with the automation key, decrypts it", async () => {
        const outputs = await stack.outputs();
        const keyFile = outputs.automationPrivateKeyFile.value as string;
        expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
        const home = fs.mkdtempSync(path.join(os.tmpdir(), "gnupg-"));
        try {
            const gpg = (args: string[]) =>
                childProcess.execFileSync("gpg", ["--batch", "--homedir", home, ...args], {
                    stdio: ["ignore", "pipe", "pipe"],
                });
            gpg(["--import", keyFile]);
            const files = outputs.encryptedKubeconfigs.value as Record<string, string>;
            expect(Object.keys(files).sort()).toEqual([...PROW_CLUSTERS].sort());
            const admin = outputs.prowClusterKubeconfigFiles.value as Record<string, string>;
            for (const [alias, file] of Object.entries(files)) {
                // The fixture cluster's own admin kubeconfig, byte for byte.
                expect(gpg(["--decrypt", file]).toString()).toBe(
                    fs.readFileSync(admin[`build-cluster-${alias}`], "utf8"),
                );
            }
        } finally {
            fs.rmSync(home, { recursive: true, force: true });
        }
    });

    it("restarts a killed simulator in place; refresh and up make again what lived in it", async () => {
        const dir = (await stateResources(stack)).find((r) => r.type === SIMULATOR)!.outputs!
            .dir as string;
        const before = envFileVariables(envFile);
        const vms = () => withEnvFile(envFile, "govc find / -type m").split("\n").sort();
        const allVms = vms();
        const [pid] = simulatorPids(stackDir);
        process.kill(pid, "SIGKILL");
        await until(() => simulatorReady(dir, 1), "the simulator to run again", 30_000);

        // The same simulator, port and certificate; its own inventory back, the templates among it.
        const after = envFileVariables(envFile);
        expect(after.VSPHERE_SERVER).toBe(before.VSPHERE_SERVER);
        const served = withEnvFile(envFile, "govc about.cert -thumbprint").trim().split(" ")[1];
        expect(served).toBe(before.VSPHERE_TLS_THUMBPRINT);
        const templates = planInventory(DEFAULT_MODEL).datacenters.flatMap((dc) => dc.templates);
        expect(vms().filter((vm) => vm !== "")).toEqual([...templates].sort());
        // What other resources made in it (the VMC flow's VMs) is gone from vcsim's memory:
        // refresh sees it missing, and up makes it again.
        const lost = allVms.filter((vm) => vm !== "" && !templates.includes(vm));
        expect(lost.length).toBeGreaterThan(0);
        await stack.refresh();
        const result = await stack.up();
        expect(result.summary.result).toBe("succeeded");
        expect(result.summary.resourceChanges?.create).toBeGreaterThanOrEqual(lost.length);
        expect(simulatorPids(stackDir)).toEqual([
            readSupervisor(supervisorFiles(dir))!.processes[0].pid,
        ]);
        expect(vms()).toEqual(allVms);
        expect(
            (await stateResources(stack)).find((r) => r.type === SIMULATOR)!.outputs!.health,
        ).toMatchObject({ restarts: 1, healthy: true });
    });

    it("runs beside another stack's simulator, each with its own ports", async () => {
        const model: SimulatorModel = {
            ...DEFAULT_MODEL,
            inventoryNames: "vcsim",
            datacenters: 2,
            clusters: 2,
            hostsPerCluster: 2,
            resourcePools: 1,
            datastores: 2,
        };
        const other = await createStack(uniqueStackName("vcsim-names"), {
            vcsimInventoryNames: "vcsim",
            vcsimDatacenters: "2",
            vcsimClusters: "2",
            vcsimHostsPerCluster: "2",
            vcsimResourcePools: "1",
            vcsimDatastores: "2",
        });
        try {
            const result = await other.up();
            const otherEnv = result.outputs.envFile.value;
            const mine = envFileVariables(envFile);
            const theirs = envFileVariables(otherEnv);
            expect(theirs.CLUSTER_NAME).toBe(mine.CLUSTER_NAME);
            expect(theirs.CONTROL_PLANE_ENDPOINT_PORT).not.toBe(mine.CONTROL_PLANE_ENDPOINT_PORT);
            expect(theirs.VSPHERE_SERVER).not.toBe(mine.VSPHERE_SERVER);
            expect(simulatorPids(stackDir)).toHaveLength(1);

            // vcsim's own names, as planInventory expects them, on the real simulator.
            const found = new Set(
                withEnvFile(otherEnv, "govc find -type d -type c -type p -type s -type n /").split(
                    "\n",
                ),
            );
            for (const dc of planInventory(model).datacenters) {
                const expected = [
                    dc.path,
                    dc.network,
                    ...dc.datastores,
                    ...dc.extraPools,
                    ...dc.clusters.flatMap((c) => [c.path, c.resourcePool]),
                ];
                expect(expected.filter((p) => !found.has(p))).toEqual([]);
            }
            expect(theirs.VSPHERE_RESOURCE_POOL).toBe("/DC0/host/DC0_C0/Resources");
            expect(theirs.VSPHERE_TEMPLATE).toBe("/DC0/vm/ubuntu-2204-kube-v1.28.0");
        } finally {
            await removeStack(other);
        }
    });

    it("leaves no process, port, lease, file or state behind on destroy", async () => {
        const resources = await stateResources(stack);
        const simulatorPort = resources.find((r) => r.type === SIMULATOR)!.outputs!.port as number;
        const endpoint = resources.find((r) => r.type === ENDPOINT)!.outputs!;
        expect(await listening(simulatorPort)).toBe(true);

        await removeStack(stack);

        expect(simulatorPids(stackDir)).toEqual([]);
        expect(await listening(simulatorPort)).toBe(false);
        expect(heldBy(endpoint.leaseDir as string, `${stackDir}#cluster1`)).toBeUndefined();
        expect(fs.existsSync(stackDir)).toBe(false);
        expect(fs.existsSync(path.join(ROOT, `Pulumi.${name}.yaml`))).toBe(false);
        const stacks = await stack.workspace.listStacks();
        expect(stacks.map((s) => s.name)).not.toContain(name);
        // Nor any copy of its state: the file backend's history, backups, .bak files and locks.
        const backend = process.env.PULUMI_BACKEND_URL!.replace(/^file:\/\//, "");
        const entries = fs.readdirSync(backend, { recursive: true }) as string[];
        expect(entries.filter((e) => e.includes(name))).toEqual([]);
        // Nor the CLI's automatic logs of the stack (PULUMI_HOME/logs).
        const logs = fs.readdirSync(path.join(process.env.PULUMI_HOME!, "logs"));
        expect(logs.filter((f) => f.includes(`+${name}-`))).toEqual([]);
    });
});

describe("bad configuration on the real engine", () => {
    it("is refused at preview, naming the key, before anything is created", async () => {
        const name = uniqueStackName("bad");
        const stack = await createStack(name, {
            vcsimDatacenters: "0",
            controlPlaneEndpointPorts: "30000-30010",
        });
        try {
            await expect(stack.preview()).rejects.toThrow(
                /k8s-ci-envs:vcsimDatacenters must be an integer from 1 to 10; got 0[\s\S]*k8s-ci-envs:controlPlaneEndpointPorts must be a range MIN-MAX within 20000-24000/,
            );
            await expect(stack.up()).rejects.toThrow(/k8s-ci-envs:vcsimDatacenters/);
            const created = (await stateResources(stack)).filter(
                (r) => r.type !== "pulumi:pulumi:Stack",
            );
            expect(created).toEqual([]);
            expect(simulatorPids(path.join(ROOT, "out", name))).toEqual([]);
            expect(fs.existsSync(path.join(ROOT, "out", name))).toBe(false);
        } finally {
            await removeStack(stack);
        }
    });
});
