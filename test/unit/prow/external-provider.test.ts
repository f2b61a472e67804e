import { BOOTSTRAP_IMAGE, externalJobFragment } from "../../../components/prow/external-provider";

describe("externalJobFragment", () => {
    const fragment = externalJobFragment(
        {
            name: "periodic-kubevirt-e2e-arm",
            cluster: "prow-arm64-workloads",
            secretKey: "kubeconfigARM",
        },
        "kubevirtci-external-kubeconfigs",
        BOOTSTRAP_IMAGE,
    );

    it("runs on the named build cluster with KubeVirtCI's external provider", () => {
        expect(fragment.cluster).toBe("prow-arm64-workloads");
        expect(fragment.spec.containers[0].env).toEqual([
            { name: "KUBEVIRT_PROVIDER", value: "external" },
            { name: "KUBECONFIG", value: "/etc/kubevirtci/kubeconfigARM/kubeconfig" },
        ]);
    });

    it("runs privileged, as the seed's external-provider periodic", () => {
        expect(fragment.spec.containers[0].securityContext).toEqual({ privileged: true });
    });

    it("mounts the cluster's entry, read-only and 0400, where KUBECONFIG points", () => {
        const [mount] = fragment.spec.containers[0].volumeMounts;
        const [volume] = fragment.spec.volumes;
        expect(mount).toEqual({
            name: volume.name,
            mountPath: "/etc/kubevirtci/kubeconfigARM",
            readOnly: true,
        });
        expect(volume.secret).toEqual({
            secretName: "kubevirtci-external-kubeconfigs",
            items: [{ key: "kubeconfigARM", path: "kubeconfig" }],
            defaultMode: 0o400,
        });
        expect(volume.name).toMatch(/^[a-z0-9-]{1,63}$/);
    });
});
