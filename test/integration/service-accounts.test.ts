/**
 * Service accounts and their tokens on a local cluster whose kube-controller-manager is not
 * running (killed, its supervisor stopped so that it cannot start it again): a namespace's
 * default service account that never comes says which controller makes it and that none runs;
 * Prow's tokens (TokenRequest) are still minted, by kube-apiserver, with no controller.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { withKubectl } from "../../providers/jobs/kubectl";
import {
    CLUSTER_LEASE_DIR,
    ClusterOutputs,
    createCluster,
    removeCluster,
} from "../../providers/kwok/local-cluster";
import { waitForDefaultServiceAccount } from "../../providers/kwok/controllers";
import { readSupervisor, SupervisorStatus, supervisorFiles } from "../../providers/supervise";
import { TokenOutputs, tokenProvider } from "../../providers/tokens/service-account-token";
import { kubectl } from "../support/harness";
import { tokenClaims } from "../support/prow-fixtures";

jest.setTimeout(5 * 60 * 1000);

describe("a local cluster whose kube-controller-manager is stopped", () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "service-accounts-it-"));
    const kubeconfig = path.join(work, "kubeconfig");
    let cluster: ClusterOutputs;
    let supervisor: SupervisorStatus;

    beforeAll(async () => {
        cluster = await createCluster({
            stackDir: work,
            clusterName: "sa-cm-stopped",
            nodes: { controlPlane: 1, workers: 0 },
            leaseDir: CLUSTER_LEASE_DIR,
        });
        fs.writeFileSync(kubeconfig, cluster.kubeconfig, { mode: 0o600 });
        supervisor = readSupervisor(supervisorFiles(cluster.dir))!;
        process.kill(supervisor.pid, "SIGSTOP");
        const cm = supervisor.processes.find((p) => p.name === "kube-controller-manager")!;
        process.kill(cm.pid!, "SIGKILL");
        kubectl(kubeconfig, ["create", "namespace", "fresh"]);
    });

    afterAll(async () => {
        if (supervisor !== undefined) {
            process.kill(supervisor.pid, "SIGCONT");
        }
        if (cluster !== undefined) {
            await removeCluster(cluster, cluster.ports);
        }
        fs.rmSync(work, { recursive: true, force: true });
    });

    it("says which controller did not make a namespace's default service account, and that none runs", async () => {
        // Past the controller-manager's leader lease (20 s) and its margin (30 s).
        await expect(
            withKubectl(cluster.kubeconfig, (k) =>
                waitForDefaultServiceAccount(k, "fresh", 70_000),
            ),
        ).rejects.toThrow(
            /^namespace fresh has no default service account after 70 s: kube-controller-manager's serviceaccount controller, which makes every namespace's default service account, has not made it: no kube-controller-manager is running on the cluster: its leader lease kube-system\/kube-controller-manager was last renewed at /,
        );
    });

    it("still mints a Prow token: kube-apiserver serves the TokenRequest, no controller", async () => {
        kubectl(kubeconfig, ["create", "serviceaccount", "prow", "--namespace", "fresh"]);
        const { outs } = await tokenProvider.create!({
            kubeconfig: cluster.kubeconfig,
            namespace: "fresh",
            serviceAccount: "prow",
            ttlHours: 1,
        });
        const token = (outs as TokenOutputs).token;
        expect(tokenClaims(token).sub).toBe("system:serviceaccount:fresh:prow");
        // The cluster takes it: a TokenReview, also served by kube-apiserver.
        const review = JSON.parse(
            kubectl(
                kubeconfig,
                ["create", "-o", "json", "-f", "-"],
                JSON.stringify({
                    apiVersion: "authentication.k8s.io/v1",
                    kind: "TokenReview",
                    spec: { token },
                }),
            ),
        );
        expect(review.status).toMatchObject({
            authenticated: true,
            user: { username: "system:serviceaccount:fresh:prow" },
        });
    });
});
