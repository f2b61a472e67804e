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
