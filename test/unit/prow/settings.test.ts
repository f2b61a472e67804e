import { DEFAULT_PROW, ProwSettings, validateProw } from "../../../components/prow/settings";

const SETTINGS: ProwSettings = {
    ...DEFAULT_PROW,
    buildClusters: [
        { alias: "prow-workloads", controlPlaneNodes: 3 },
        { alias: "prow-arm64-workloads", controlPlaneNodes: 5 },
    ],
    defaultCluster: "prow-workloads",
    externalClusters: ["kubeconfigARM"],
    jobs: [
        {
            name: "periodic-kubevirt-cluster-sync-test-ARM",
            cluster: "prow-workloads",
            secretKey: "kubeconfigARM",
        },
    ],
};

const messages = (overrides: Partial<ProwSettings>) =>
    validateProw({ ...SETTINGS, ...overrides }).map((i) => `${i.field} ${i.message}`);

describe("validateProw", () => {
    it("accepts HA build clusters and jobs that name existing clusters and keys", () => {
        expect(validateProw(SETTINGS)).toEqual([]);
    });

    it("refuses a build cluster without an HA control plane, naming it", () => {
        expect(
            messages({ buildClusters: [{ alias: "prow-workloads", controlPlaneNodes: 1 }] }),
        ).toEqual([
            "buildClusters[0] (cluster prow-workloads): has 1 control-plane nodes (configured); a build cluster needs an HA control plane of at least 3",
        ]);
    });

    it("refuses an alias registered twice, naming it", () => {
        const twice = [
            SETTINGS.buildClusters[0],
            { alias: "prow-workloads", controlPlaneNodes: 3 },
        ];
        expect(messages({ buildClusters: twice })).toEqual([
            "buildClusters[1] (cluster prow-workloads): the alias is registered twice",
        ]);
    });

    it.each(["Prow_Workloads", "prow.workloads", "-prow", ""])(
        "refuses the alias %j, which is no valid context name",
        (alias) => {
            const [message] = messages({
                buildClusters: [{ alias, controlPlaneNodes: 3 }],
                defaultCluster: alias,
                jobs: [],
            });
            expect(message).toContain(
                `(cluster ${JSON.stringify(alias)}): the alias is not a valid context name`,
            );
        },
    );

    it("refuses a job naming a secret key that was never added (kubevirt/project-infra#3501)", () => {
        const jobs = [
            {
                name: "periodic-kubevirt-e2e-s390x",
                cluster: "prow-workloads",
                secretKey: "kubeconfigS390X",
            },
        ];
        expect(messages({ jobs })).toEqual([
            'jobs[0] (job periodic-kubevirt-e2e-s390x): secret key "kubeconfigS390X" is not in kubevirtci-external-kubeconfigs',
        ]);
    });

    it("refuses a job naming a build cluster that is not registered (#3163's stale context)", () => {
        const jobs = [{ name: "j", cluster: "ibm-prow-jobs", secretKey: "kubeconfigARM" }];
        expect(messages({ jobs })).toEqual([
            'jobs[0] (job j): cluster "ibm-prow-jobs" is not a registered build cluster',
        ]);
    });

    it("refuses a default context that is not a registered cluster", () => {
        expect(messages({ defaultCluster: "default" })).toEqual([
            'defaultCluster "default" is not a registered build cluster',
        ]);
    });
});
