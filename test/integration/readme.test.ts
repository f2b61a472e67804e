/**
 * The README's commands as a user types them, on a local stack of this test's own: where the
 * README uses the `local` stack (perhaps the user's), this runs the form it gives for any other
 * (`npm run up -- <stack>`). The commands that rely on the selected stack rely on it here too.
 */
import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEFAULT_MODEL } from "../../providers/vcsim";
import { ROOT, uniqueStackName } from "../support/harness";

jest.setTimeout(5 * 60 * 1000);

const stack = uniqueStackName("readme");
const stackDir = path.join(ROOT, "out", stack);
const stackFile = path.join(ROOT, `Pulumi.${stack}.yaml`);
// A PULUMI_HOME of its own: selecting the stack leaves the user's selection alone. No
// passphrase comes from the test's environment: the entry points must give it themselves.
const home = fs.mkdtempSync(path.join(os.tmpdir(), "readme-pulumi-home-"));
const env: NodeJS.ProcessEnv = { ...process.env, PULUMI_HOME: home };
delete env.PULUMI_CONFIG_PASSPHRASE;
delete env.PULUMI_CONFIG_PASSPHRASE_FILE;

/** Runs a README command line in the clone with bash; returns its stdout, failing loudly. */
function sh(command: string): string {
    const result = childProcess.spawnSync("bash", ["-c", `set -euo pipefail; ${command}`], {
        cwd: ROOT,
        env,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
    });
    if (result.status !== 0) {
        throw new Error(`${command} exited ${result.status}:\n${result.stdout}${result.stderr}`);
    }
    return result.stdout;
}

function stackExists(): boolean {
    const stacks = JSON.parse(sh("hack/run pulumi stack ls --json")) as { name: string }[];
    return stacks.some((s) => s.name === stack);
}

afterAll(() => {
    try {
        if (fs.existsSync(stackFile) && stackExists()) {
            sh(`npm run down -- ${stack}`); // a test failed half-way: still leave nothing behind
        }
    } finally {
        fs.rmSync(stackFile, { force: true });
        fs.rmSync(home, { recursive: true, force: true });
    }
});

describe("the README's commands", () => {
    let password: string;

    it("npm run up -- <stack> brings the stack up and ends by printing how to use vcsim.env and the bootstrap cluster", () => {
        const printed = sh(`npm run up -- ${stack}`)
            .trim()
            .split("\n")
            .filter((line) => !line.startsWith("#"));
        const kubectlLine = printed.pop()!;
        expect(printed.pop()).toBe(`source ${path.join(stackDir, "vcsim.env")}`);
        const kubeconfig = path.join(stackDir, "kubeconfigs", "bootstrap.kubeconfig");
        expect(kubectlLine).toBe(
            `${ROOT}/hack/tools/bin/kubectl --kubeconfig ${kubeconfig} get nodes`,
        );
        expect(sh(kubectlLine)).toContain("bootstrap-control-plane");
    });

    it("export KUBECONFIG=$PWD/out/<stack>/kubeconfigs/bootstrap.kubeconfig; kubectl get nodes shows the bootstrap node", () => {
        const nodes = sh(
            `export KUBECONFIG=$PWD/out/${stack}/kubeconfigs/bootstrap.kubeconfig; kubectl get nodes -o name`,
        );
        expect(nodes.trim()).toBe("node/bootstrap-control-plane");
    });

    it("source out/<stack>/vcsim.env; govc ls /SDDC-Datacenter/vm/Workloads lists the templates", () => {
        const listing = sh(
            `source out/${stack}/vcsim.env; GOVC_PERSIST_SESSION=false govc ls /SDDC-Datacenter/vm/Workloads`,
        );
        // The templates, and the VMC flow's jump host and bootstrap VM cloned beside them.
        const vms = [
            ...DEFAULT_MODEL.templates,
            "clusterapi-bootstrap-debug",
            "clusterapi-jumphost-debug",
        ];
        expect(listing.trim().split("\n").sort()).toEqual(
            vms.map((t) => `/SDDC-Datacenter/vm/Workloads/${t}`).sort(),
        );
        password = sh(`source out/${stack}/vcsim.env; echo "$VSPHERE_PASSWORD"`).trim();
        expect(password.length).toBeGreaterThanOrEqual(20);
    });

    it("the limited supervisor's kubectl commands show its Deployments, CRDs and dependencies", () => {
        const k = `k="hack/tools/bin/kubectl --kubeconfig out/${stack}/kubeconfigs/bootstrap.kubeconfig"; $k`;
        const deployments = sh(`${k} get deployments -A`);
        for (const d of [
            "vcsim-controller-manager",
            "vmware-system-vmop-controller-manager",
            "net-operator-controller-manager",
        ]) {
            expect(deployments).toMatch(new RegExp(`${d}\\s+1/1`));
        }
        const crds = sh(`${k} api-resources --api-group=vcsim.infrastructure.cluster.x-k8s.io`);
        for (const kind of [
            "VCenterSimulator",
            "ControlPlaneEndpoint",
            "EnvVar",
            "VMOperatorDependencies",
        ]) {
            expect(crds).toContain(kind);
        }
        const objects = sh(`${k} get storageclass,virtualmachineclass,virtualmachineimage -A`);
        expect(objects).toContain("vcsim-default-storage-class");
        expect(objects).toContain("vcsim-default-vm-class");
        expect(objects).toContain(path.posix.basename(DEFAULT_MODEL.templates[0]));
        expect(
            sh(
                `${k} get configmap -n vmware-system-vmop vsphere.provider.config.vmoperator.vmware.com -o yaml`,
            ),
        ).toContain("VcPNID");
    });

    it("hack/run pulumi stack output --show-secrets decrypts the selected local stack's secrets", () => {
        const outputs = JSON.parse(sh("hack/run pulumi stack output --show-secrets --json"));
        expect(outputs.vcenterPassword).toBe(password);
        expect(sh("hack/run pulumi stack output --show-secrets")).toContain(password);
    });

    it.each([`--stack ${stack}`, `--stack=${stack}`, `-s ${stack}`])(
        "hack/run pulumi takes the local stack from %s",
        (flag) => {
            // No stack selected: only the flag names it.
            sh("hack/run pulumi stack unselect");
            try {
                expect(
                    sh(`hack/run pulumi stack output ${flag} --show-secrets vcenterPassword`),
                ).toBe(`${password}\n`);
            } finally {
                sh(`hack/run pulumi stack select ${stack}`);
            }
        },
    );

    it("hack/run pulumi config set --stack <stack> <key> <value> reaches npm run preview", () => {
        sh(`hack/run pulumi config set --stack ${stack} clusterName cluster2`);
        const preview = sh(`npm run preview -- ${stack}`);
        expect(preview).toMatch(/cluster1.*=>.*cluster2/);
    });

    it("npm run refresh, then npm run down, leave no stack, file or state behind", () => {
        sh(`npm run refresh -- ${stack}`);
        sh(`npm run down -- ${stack}`);
        expect(stackExists()).toBe(false);
        expect(fs.existsSync(stackDir)).toBe(false);
    });
});
