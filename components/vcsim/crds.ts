/**
 * The vcsim controller's API, group vcsim.infrastructure.cluster.x-k8s.io/v1alpha1, with the
 * fields and defaults of CAPV's vcsim API (schemas written by this project from types in CAPV's test/infrastructure/vcsim/api).
 */
import { DEFAULT_MODEL } from "../../providers/vcsim/model";
import { arrayOf, bool, crd, int, mapOf, obj, quantity, str } from "../common/openapi";

/** vm-operator's namespace, the default of the vcsim API's `operatorRef.namespace`. */
const OPERATOR_NAMESPACE = "vmware-system-vmop";

export const VCSIM_GROUP = "vcsim.infrastructure.cluster.x-k8s.io";
export const VCSIM_API_VERSION = `${VCSIM_GROUP}/v1alpha1`;

const ref = () => obj({ name: str(), namespace: str() });

const vCenterSimulator = () =>
    crd({
        group: VCSIM_GROUP,
        kind: "VCenterSimulator",
        plural: "vcentersimulators",
        scope: "Namespaced",
        versions: [
            {
                name: "v1alpha1",
                statusSubresource: true,
                spec: obj({
                    model: obj({
                        vsphereVersion: str({ default: DEFAULT_MODEL.vsphereVersion }),
                        datacenter: int({ default: 1, minimum: 1 }),
                        cluster: int({ default: 1, minimum: 1 }),
                        clusterHost: int({ default: 3, minimum: 1 }),
                        pool: int({ default: 0, minimum: 0 }),
                        datastore: int({ default: 1, minimum: 1 }),
                    }),
                }),
                status: obj({
                    host: str(),
                    username: str(),
                    password: str(),
                    thumbprint: str(),
                }),
            },
        ],
    });

const controlPlaneEndpoint = () =>
    crd({
        group: VCSIM_GROUP,
        kind: "ControlPlaneEndpoint",
        plural: "controlplaneendpoints",
        scope: "Namespaced",
        versions: [
            {
                name: "v1alpha1",
                statusSubresource: true,
                spec: { type: "object" },
                status: obj({ host: str(), port: int({ minimum: 1, maximum: 65535 }) }),
            },
        ],
    });

const envVar = () =>
    crd({
        group: VCSIM_GROUP,
        kind: "EnvVar",
        plural: "envvars",
        scope: "Namespaced",
        versions: [
            {
                name: "v1alpha1",
                statusSubresource: true,
                spec: obj(
                    {
                        vCenterSimulator: ref(),
                        controlPlaneEndpoint: obj({ name: str(), namespace: str() }, ["name"]),
                        cluster: obj(
                            {
                                name: str(),
                                namespace: str(),
                                kubernetesVersion: str({ default: "v1.28.0" }),
                                controlPlaneMachines: int({ default: 1, minimum: 1 }),
                                workerMachines: int({ default: 1, minimum: 0 }),
                                datacenter: int({ default: 0, minimum: 0 }),
                                cluster: int({ default: 0, minimum: 0 }),
                                datastore: int({ default: 0, minimum: 0 }),
                                powerOffMode: str({
                                    default: "trySoft",
                                    enum: ["hard", "soft", "trySoft"],
                                }),
                            },
                            ["name"],
                        ),
                        vmOperatorDependencies: ref(),
                    },
                    ["controlPlaneEndpoint", "cluster"],
                ),
                status: obj({ variables: mapOf(str()) }),
            },
        ],
    });

const vmOperatorDependencies = () =>
    crd({
        group: VCSIM_GROUP,
        kind: "VMOperatorDependencies",
        plural: "vmoperatordependencies",
        scope: "Namespaced",
        versions: [
            {
                name: "v1alpha1",
                statusSubresource: true,
                spec: obj({
                    operatorRef: obj({ namespace: str({ default: OPERATOR_NAMESPACE }) }),
                    vCenter: obj({
                        serverURL: str(),
                        username: str(),
                        password: str(),
                        thumbprint: str(),
                        datacenter: str(),
                        cluster: str(),
                        folder: str(),
                        resourcePool: str(),
                        contentLibrary: obj({
                            name: str(),
                            datastore: str(),
                            items: arrayOf(
                                obj({
                                    // CAPV's item name really is json `datacenter`.
                                    datacenter: str(),
                                    files: arrayOf(
                                        obj({ name: str(), content: str({ format: "byte" }) }),
                                    ),
                                    itemType: str(),
                                    productInfo: str(),
                                    osInfo: str(),
                                }),
                            ),
                        }),
                        distributedPortGroupName: str(),
                    }),
                    vCenterSimulatorRef: ref(),
                    storageClasses: arrayOf(obj({ name: str(), storagePolicy: str() })),
                    virtualMachineClasses: arrayOf(
                        obj({ name: str(), cpus: int({ minimum: 1 }), memory: quantity() }),
                    ),
                }),
                specRules: [
                    {
                        rule: "has(self.vCenter) != has(self.vCenterSimulatorRef)",
                        message: "exactly one of vCenter and vCenterSimulatorRef must be set",
                    },
                ],
                status: obj({ ready: bool() }),
            },
        ],
    });

/** The four CustomResourceDefinitions of the vcsim controller. */
export function vcsimCrds() {
    return [vCenterSimulator(), controlPlaneEndpoint(), envVar(), vmOperatorDependencies()];
}
