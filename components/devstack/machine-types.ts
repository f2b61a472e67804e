/** vCPUs of a GCE machine type, or undefined when the name is not one this program knows. */
export function vcpusOf(machineType: string): number | undefined {
    // Predefined families name their vCPU count last: n2-standard-16, c2d-highcpu-56, e2-highmem-8.
    const predefined =
        /^(n1|n2|n2d|n4|c2|c2d|c3|c3d|c4|e2|t2d|m1|m3)-(standard|highmem|highcpu|megamem|ultramem)-(\d+)$/.exec(
            machineType,
        );
    if (predefined) {
        return Number(predefined[3]);
    }
    // Custom types: [family-]custom-VCPUS-MEMORY_MB[-ext].
    const custom = /^(?:(?:n1|n2|n2d|e2)-)?custom-(\d+)-\d+(?:-ext)?$/.exec(machineType);
    return custom ? Number(custom[1]) : undefined;
}

export type CpuVendor = "Intel" | "AMD";

/** The CPU maker of each family that takes a minimum CPU platform (E2 takes none). */
const FAMILY_VENDORS: Record<string, CpuVendor> = {
    n1: "Intel",
    n2: "Intel",
    n4: "Intel",
    c2: "Intel",
    c3: "Intel",
    c4: "Intel",
    m1: "Intel",
    m3: "Intel",
    n2d: "AMD",
    c2d: "AMD",
    t2d: "AMD",
    c3d: "AMD",
};

/** Who makes a machine type's CPUs; plain `custom-` types are N1. */
export function vendorOfMachineType(machineType: string): CpuVendor | undefined {
    const family = machineType.startsWith("custom-") ? "n1" : machineType.split("-")[0];
    return FAMILY_VENDORS[family];
}

/** Who makes a minimum CPU platform ("Intel Cascade Lake", "AMD Milan"). */
export function vendorOfPlatform(platform: string): CpuVendor | undefined {
    return /^(Intel|AMD) /.exec(platform)?.[1] as CpuVendor | undefined;
}
