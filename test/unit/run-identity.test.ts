import * as fc from "fast-check";
import { gcpLabels, gcpLabelValue, runDescription } from "../../components/run-identity";

const GCP_LABEL = /^[a-z0-9_-]{0,63}$/;

describe("run identity", () => {
    it("labels the run for janitors, leaving out what Prow did not set", () => {
        expect(
            gcpLabels({
                stack: "local-x",
                jobName: "",
                buildId: "",
                prowJobId: "",
                pullNumber: "",
                ttlHours: 24,
            }),
        ).toEqual({
            "created-by": "k8s-ci-envs",
            "k8s-ci-envs-stack": "local-x",
            "ttl-hours": "24",
        });
        expect(
            gcpLabels({
                stack: "ci-1",
                jobName: "pull-CAPO-e2e",
                buildId: "1728",
                prowJobId: "a1b2",
                pullNumber: "5071",
                ttlHours: 6,
            }),
        ).toMatchObject({
            "prow-job": "pull-capo-e2e",
            "prow-build": "1728",
            "prow-job-id": "a1b2",
            "prow-pull": "5071",
            "ttl-hours": "6",
        });
    });

    it("always yields values GCP accepts as labels", () => {
        fc.assert(
            fc.property(fc.string({ maxLength: 200 }), (text) =>
                GCP_LABEL.test(gcpLabelValue(text)),
            ),
        );
    });

    it("writes the same identity as a description", () => {
        expect(
            runDescription({
                stack: "s",
                jobName: "j",
                buildId: "",
                prowJobId: "",
                pullNumber: "42",
                ttlHours: 1,
            }),
        ).toBe("created-by=k8s-ci-envs k8s-ci-envs-stack=s ttl-hours=1 prow-job=j prow-pull=42");
    });
});
