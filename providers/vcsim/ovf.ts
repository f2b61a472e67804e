import * as crypto from "crypto";

/**
 * A minimal OVF descriptor for a simulated machine template (2 vCPU, 4 GiB, one NIC, no disk).
 * vcsim can neither export a VM nor clone one into a library with files, so content library
 * items are imported from this descriptor; deploying one gives a VM as the template describes.
 */
export function renderOvf(name: string): string {
    const item = (id: number, type: number, fields: string) =>
        `      <Item><rasd:InstanceID>${id}</rasd:InstanceID><rasd:ResourceType>${type}</rasd:ResourceType>${fields}</Item>`;
    return [
        `<?xml version="1.0" encoding="UTF-8"?>`,
        `<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1"` +
            ` xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData"` +
            ` xmlns:vssd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData"` +
            ` xmlns:vmw="http://www.vmware.com/schema/ovf">`,
        `  <References/>`,
        `  <NetworkSection><Info>Networks</Info><Network ovf:name="nic0"><Description>VM network</Description></Network></NetworkSection>`,
        `  <VirtualSystem ovf:id="${name}">`,
        `    <Info>Simulated machine template</Info>`,
        `    <Name>${name}</Name>`,
        `    <OperatingSystemSection ovf:id="94" vmw:osType="ubuntu64Guest"><Info>Guest OS</Info></OperatingSystemSection>`,
        `    <VirtualHardwareSection>`,
        `      <Info>Virtual hardware</Info>`,
        `      <System><vssd:ElementName>Virtual Hardware Family</vssd:ElementName><vssd:InstanceID>0</vssd:InstanceID><vssd:VirtualSystemType>vmx-19</vssd:VirtualSystemType></System>`,
        item(
            1,
            3,
            "<rasd:AllocationUnits>hertz * 10^6</rasd:AllocationUnits><rasd:ElementName>2 virtual CPUs</rasd:ElementName><rasd:VirtualQuantity>2</rasd:VirtualQuantity>",
        ),
        item(
            2,
            4,
            "<rasd:AllocationUnits>byte * 2^20</rasd:AllocationUnits><rasd:ElementName>4096 MB of memory</rasd:ElementName><rasd:VirtualQuantity>4096</rasd:VirtualQuantity>",
        ),
        item(
            3,
            10,
            "<rasd:AutomaticAllocation>true</rasd:AutomaticAllocation><rasd:Connection>nic0</rasd:Connection><rasd:ElementName>Network adapter 1</rasd:ElementName><rasd:ResourceSubType>VmxNet3</rasd:ResourceSubType>",
        ),
        `    </VirtualHardwareSection>`,
        `  </VirtualSystem>`,
        `</Envelope>`,
        ``,
    ].join("\n");
}

/** The OVF manifest (`.mf`) line that lets an importer verify the descriptor. */
export function renderManifest(ovfFileName: string, ovf: string): string {
    const digest = crypto.createHash("sha256").update(ovf).digest("hex");
    return `SHA256(${ovfFileName})= ${digest}\n`;
}
