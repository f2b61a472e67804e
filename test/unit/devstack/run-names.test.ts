import { allObjectNames, GCP_NAME_MAX } from "../../../components/devstack/names";
import { recorded, settle, setupMocks } from "../../support/mocks";

/** Two builds of one job, in the stacks the CI run flow names for them. */
const BUILDS = ["1855512345", "1855512346"];

/** The name of every GCP object the ci program creates for `build` with `config`. */
async function gcpNames(build: string, config: Record<string, string> = {}): Promise<string[]> {
    await setupMocks({
        stack: `ci-pull-capo-e2e-${build}`,
        config: {
            composition: "ci",
            ciEnvironments: '["devstack"]',
            gcpProject: "capo-ci-shared",
            jobName: "pull-capo-e2e",
            buildId: build,
            ...config,
        },
    });
    // Loaded after the mocks, as index.ts runs them.
    const { loadSettings } = await import("../../../stacks/config");
    const { ci } = await import("../../../stacks/ci");
    const settings = loadSettings();
    if (settings.composition !== "ci") {
        throw new Error("expected the ci composition");
    }
    await ci(settings);
    await settle();
    return recorded
        .filter((r) => r.type.startsWith("gcp:compute/"))
        .map((r) => r.inputs.name as string)
        .sort();
}

describe("the DevStack's GCP names, under mocks", () => {
    it("are CAPO's create_devstack.sh names when the run has the project to itself (a Boskos lease)", async () => {
        for (const build of BUILDS) {
            expect(await gcpNames(build, { gcpProjectLeased: "true" })).toEqual(
                allObjectNames("capo-e2e").sort(),
            );
        }
    });

    it("are disjoint for two runs in one shared project, each a valid GCP name", async () => {
        const [first, second] = [await gcpNames(BUILDS[0]), await gcpNames(BUILDS[1])];
        for (const names of [first, second]) {
            expect(names).toHaveLength(allObjectNames("capo-e2e").length);
        }
        expect(first.filter((n) => second.includes(n))).toEqual([]);
        for (const name of [...first, ...second]) {
            expect(name).toMatch(/^capo-e2e-[0-9a-f]{8}-[-a-z0-9]*[a-z0-9]$/);
            expect(name.length).toBeLessThanOrEqual(GCP_NAME_MAX);
        }
    });

    it("fit GCP's limit with the longest devstackName a shared project allows, and refuse one more", async () => {
        const longest = "c".repeat(29);
        const names = await gcpNames(BUILDS[0], { devstackName: longest });
        expect(Math.max(...names.map((n) => n.length))).toBe(GCP_NAME_MAX);
        await expect(gcpNames(BUILDS[0], { devstackName: `${longest}c` })).rejects.toThrow(
            /k8s-ci-envs:devstackName must be at most 29 characters/,
        );
        // A leased project keeps CAPO's create_devstack.sh names: the name has the hash's room too.
        await expect(
            gcpNames(BUILDS[0], { devstackName: `${longest}c`, gcpProjectLeased: "true" }),
        ).resolves.toContain(`${longest}c-mynetwork`);
    });
});
