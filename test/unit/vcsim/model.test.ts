import { API_VERSIONS, apiVersion, DEFAULT_MODEL, validateModel } from "../../../providers/vcsim";

describe("validateModel", () => {
    it("accepts CAPV's vcsim defaults", () => {
        expect(validateModel(DEFAULT_MODEL)).toEqual([]);
    });

    it.each([
        [{ datacenters: 0 }, "datacenters"],
        [{ hostsPerCluster: -1 }, "hostsPerCluster"],
        [{ clusters: 1.5 }, "clusters"],
        [{ resourcePools: 11 }, "resourcePools"],
        [{ vsphereVersion: "7.1.0" }, "vsphereVersion"],
        [{ templates: [] }, "templates"],
        [{ templates: ["a", "a"] }, "templates"],
        [{ templates: ["bad name"] }, "templates[0]"],
        [{ contentLibrary: "" }, "contentLibrary"],
    ])("refuses %j, naming the field", (overrides, field) => {
        expect(validateModel({ ...DEFAULT_MODEL, ...overrides }).map((i) => i.field)).toEqual([
            field,
        ]);
    });
});

describe("apiVersion", () => {
    it("maps every supported vSphere release to the API version it speaks", () => {
        expect(apiVersion("7.0.0")).toBe("7.0");
        expect(apiVersion("8.0.3")).toBe("8.0.3.0");
        for (const version of Object.keys(API_VERSIONS)) {
            expect(apiVersion(version)).toMatch(
                new RegExp(`^${version.split(".").slice(0, 2).join("\\.")}`),
            );
        }
    });

    it("refuses an unknown release", () => {
        expect(() => apiVersion("5.5.0")).toThrow(/unknown vSphere version 5.5.0/);
    });
});
