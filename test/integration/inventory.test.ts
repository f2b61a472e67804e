/**
 * The env file's inventory variables, resolved as CAPV resolves them: govmomi's finder with the
 * datacenter set (govc's `-dc $VSPHERE_DATACENTER`), on the real simulator, in both inventory
 * namings and both modes.
 */
import { Stack } from "@pulumi/pulumi/automation";
import { INVENTORY_NAMES } from "../../providers/vcsim";
import { PROJECT } from "../../stacks/config";
import {
    createStack,
    envFileVariables,
    removeStack,
    uniqueStackName,
    withEnvFile,
} from "../support/harness";

jest.setTimeout(5 * 60 * 1000);

/** How govc looks each variable up through the finder, as CAPV does. */
const FINDERS: Record<string, string> = {
    VSPHERE_DATACENTER: `govc datacenter.info "$VSPHERE_DATACENTER"`,
    VSPHERE_DATASTORE: `govc datastore.info -dc "$VSPHERE_DATACENTER" "$VSPHERE_DATASTORE"`,
    VSPHERE_FOLDER: `govc folder.info -dc "$VSPHERE_DATACENTER" "$VSPHERE_FOLDER"`,
    VSPHERE_RESOURCE_POOL: `govc pool.info -dc "$VSPHERE_DATACENTER" "$VSPHERE_RESOURCE_POOL"`,
    // A machine template's NIC (each is on the network), found by `-net` through the finder.
    VSPHERE_NETWORK:
        `template=$(govc find "/$VSPHERE_DATACENTER/vm" -type m -config.template true | sed -n 1p);` +
        ` govc device.info -dc "$VSPHERE_DATACENTER" -vm "$template" -net "$VSPHERE_NETWORK"`,
    VSPHERE_TEMPLATE: `govc vm.info -dc "$VSPHERE_DATACENTER" "$VSPHERE_TEMPLATE"`,
};

/** The variables of `envFile` that a finder command cannot resolve, with govc's answer. */
function unresolved(envFile: string, variables: string[]): string[] {
    return variables.flatMap((variable) => {
        try {
            const found = withEnvFile(envFile, FINDERS[variable]);
            return found.trim() === "" ? [`${variable}: nothing found`] : [];
        } catch (err) {
            return [`${variable}: ${String((err as { stderr?: Buffer }).stderr ?? err).trim()}`];
        }
    });
}

describe.each(INVENTORY_NAMES)("a local stack with %s inventory names", (names) => {
    let stack: Stack;
    let envFile: string;

    beforeAll(async () => {
        stack = await createStack(uniqueStackName(`inventory-${names}`), {
            vcsimInventoryNames: names,
        });
        envFile = (await stack.up()).outputs.envFile.value;
    });

    afterAll(async () => {
        await removeStack(stack);
    });

    it("in govmomi mode, has every inventory variable resolve with -dc $VSPHERE_DATACENTER", () => {
        expect(Object.keys(envFileVariables(envFile))).toEqual(
            expect.arrayContaining(Object.keys(FINDERS)),
        );
        expect(unresolved(envFile, Object.keys(FINDERS))).toEqual([]);
    });

    it("clones $VSPHERE_TEMPLATE, as CAPV does, into the folder, pool, datastore and network", () => {
        const clone = `capv-clone-${names}`;
        const lines = withEnvFile(
            envFile,
            [
                `govc vm.clone -dc "$VSPHERE_DATACENTER" -vm "$VSPHERE_TEMPLATE" -folder "$VSPHERE_FOLDER"` +
                    ` -pool "$VSPHERE_RESOURCE_POOL" -ds "$VSPHERE_DATASTORE" -net "$VSPHERE_NETWORK" -on=false ${clone} >/dev/null`,
                `vm=$(govc find -dc "$VSPHERE_DATACENTER" / -type m -name ${clone})`,
                `echo "$vm"; echo "$VSPHERE_FOLDER/${clone}"`,
                `govc object.collect -s "$vm" resourcePool datastore network`,
                `govc ls -i "$VSPHERE_RESOURCE_POOL" "/$VSPHERE_DATACENTER/datastore/$VSPHERE_DATASTORE" "$VSPHERE_NETWORK"`,
                `govc vm.destroy "$vm"`,
            ].join("; "),
        )
            .trim()
            .split("\n");
        const [path, expectedPath, ...refs] = lines;
        expect(path).toBe(expectedPath);
        expect(refs).toHaveLength(6);
        expect(refs.slice(0, 3)).toEqual(refs.slice(3));
    });

    it("in supervisor mode, has the datacenter and network the CSI driver takes resolve too", async () => {
        await stack.setConfig(`${PROJECT}:envVarMode`, { value: "supervisor" });
        await stack.up();
        const vars = envFileVariables(envFile);
        expect(vars.VSPHERE_NETWORK).not.toContain("/");
        expect(unresolved(envFile, ["VSPHERE_DATACENTER", "VSPHERE_NETWORK"])).toEqual([]);
    });
});
