import { environmentSettings, govcUrlHost } from "../../../run/prow-environment";
import { shellExports, variableName } from "../../../run/shell-exports";

describe("the vCenter from a Prow job's environment", () => {
    it("takes CAPV's preset names, the password as a secret and the URL as its host", () => {
        expect(
            environmentSettings({
                GOVC_URL: "https://vcenter.example.com/sdk",
                GOVC_USERNAME: "prow@gve.local",
                GOVC_PASSWORD: "s3cret",
                VSPHERE_TLS_THUMBPRINT: "AA:BB",
            }),
        ).toEqual({
            vsphereServer: { value: "vcenter.example.com", secret: false },
            vsphereUsername: { value: "prow@gve.local", secret: false },
            vspherePassword: { value: "s3cret", secret: true },
            vsphereTlsThumbprint: { value: "AA:BB", secret: false },
        });
    });

    it("prefers the VSPHERE_* names, as CAPV's hack/e2e.sh exports them", () => {
        const settings = environmentSettings({
            GOVC_URL: "govc-host",
            VSPHERE_SERVER: "vsphere-host:8443",
            GOVC_PASSWORD: "from-govc",
            VSPHERE_PASSWORD: "from-vsphere",
        });
        expect(settings.vsphereServer.value).toBe("vsphere-host:8443");
        expect(settings.vspherePassword).toEqual({ value: "from-vsphere", secret: true });
        expect(settings.vsphereUsername).toBeUndefined();
    });

    it("reads a GOVC_URL in each of govc's forms", () => {
        expect(govcUrlHost("vc.local")).toBe("vc.local");
        expect(govcUrlHost("vc.local/sdk")).toBe("vc.local");
        expect(govcUrlHost("https://user:pw@vc.local:8989/sdk")).toBe("vc.local:8989");
    });
});

describe("outputs as shell exports", () => {
    it("quotes every value and leaves secrets out unless asked", () => {
        const outputs = {
            vcenterServer: { value: "127.0.0.1:8989", secret: false },
            vcenterPassword: { value: "it's", secret: true },
            clusterVariables: { value: { A: "1" }, secret: false },
        };
        expect(shellExports(outputs, false)).toBe(
            "export VCENTER_SERVER='127.0.0.1:8989'\nexport CLUSTER_VARIABLES='{\"A\":\"1\"}'\n",
        );
        expect(shellExports(outputs, true)).toContain("export VCENTER_PASSWORD='it'\\''s'\n");
        expect(variableName("prowKubeconfigSecret")).toBe("PROW_KUBECONFIG_SECRET");
    });
});
