import { criticalPath } from "../../bench/critical-path";

const urn = (type: string, name: string) => `urn:pulumi:s::p::${type}::${name}`;
const step = (name: string, start: number, end: number, type = "kubernetes:v1:Secret") => ({
    urn: urn(type, name),
    op: "create",
    start,
    end,
});

describe("bench/critical-path's chain of the steps that end last", () => {
    it("goes back through the step that ended last before each began, skipping components", () => {
        const chain = criticalPath([
            step("stack", 0, 20, "pulumi:pulumi:Stack"),
            step("cluster", 1, 10),
            step("vcsim", 1, 3),
            step("deploy", 10, 18),
            step("token", 4, 5),
        ]);
        expect(chain.map((s) => s.urn.split("::").pop())).toEqual(["cluster", "deploy"]);
    });

    it("ends on steps of whole seconds that end as the next begins (no cycle)", () => {
        const chain = criticalPath([step("a", 5, 5), step("b", 5, 5), step("c", 2, 5)]);
        expect(chain.map((s) => s.urn.split("::").pop())).toEqual(["c", "a"]);
    });
});
