import * as yaml from "js-yaml";
import {
    BOOTSTRAP_IMAGE,
    DEFAULT_JOB,
    externalJobConfig,
    externalJobFragment,
    externalJobName,
    ExternalJobContext,
    KubevirtciJobOptions,
    PROW_JOB_NAME_MAX,
    prowJobNameRule,
    validateJobOptions,
} from "../../../components/prow/jobs";

const JOB = {
    name: "periodic-kubevirt-e2e-arm",
    cluster: "prow-arm64-workloads",
    secretKey: "kubeconfigARM",
};
const context = (options: Partial<KubevirtciJobOptions> = {}): ExternalJobContext => ({
    podNamespace: "kubevirt-prow-jobs",
    secretName: "kubevirtci-external-kubeconfigs",
    image: BOOTSTRAP_IMAGE,
    options: { ...DEFAULT_JOB, ...options },
});

describe("externalJobConfig, a periodic (the default, as KubeVirt's project-infra (hack/manage-secrets.sh))", () => {
    const config = externalJobConfig(JOB, context());
    const [job] = (config as { periodics: any[] }).periodics;
    const [container] = job.spec.containers;

    it("is a job config file of one periodic, on the named build cluster in Prow's pod_namespace", () => {
        expect(Object.keys(config)).toEqual(["periodics"]);
        expect(job).toMatchObject({
            name: "periodic-kubevirt-e2e-arm",
            cluster: "prow-arm64-workloads",
            namespace: "kubevirt-prow-jobs",
            cron: "40 4,12,20 * * *",
            extra_refs: [{ org: "kubevirt", repo: "kubevirt", base_ref: "main", workdir: true }],
        });
    });

    it("is decorated, with the timeouts of KubeVirt's periodic, one run at a time (the external provider has no teardown)", () => {
        expect(job.decorate).toBe(true);
        expect(job.decoration_config).toEqual({ timeout: "4h", grace_period: "5m" });
        expect(job.max_concurrency).toBe(1);
    });

    it("runs the command through the bootstrap image's runner, privileged, with KubeVirtCI's external provider", () => {
        expect(container.image).toBe(BOOTSTRAP_IMAGE);
        expect(container.command).toEqual(["/usr/local/bin/runner.sh", "/bin/sh", "-c"]);
        expect(container.args).toEqual(["automation/test.sh"]);
        expect(container.securityContext).toEqual({ privileged: true });
        expect(container.env).toEqual([
            { name: "TARGET", value: "external" },
            { name: "KUBEVIRT_PROVIDER", value: "external" },
            { name: "KUBECONFIG", value: "/etc/kubevirtci/kubeconfigARM/kubeconfig" },
        ]);
    });

    it("mounts the cluster's entry, read-only and 0400, where KUBECONFIG points", () => {
        const [mount] = container.volumeMounts;
        const [volume] = job.spec.volumes;
        expect(mount).toEqual({
            name: volume.name,
            mountPath: "/etc/kubevirtci/kubeconfigARM",
            readOnly: true,
        });
        expect(volume.secret).toEqual({
            secretName: "kubevirtci-external-kubeconfigs",
            items: [{ key: "kubeconfigARM", path: "kubeconfig" }],
            defaultMode: 0o400,
        });
        expect(volume.name).toMatch(/^[a-z0-9-]{1,63}$/);
    });
});

describe("externalJobConfig, a presubmit", () => {
    const job = { ...JOB, name: "pull-kubevirt-e2e.arm" };
    const config = externalJobConfig(
        job,
        context({ type: "presubmit", repo: "kubevirt/kubevirtci" }),
    );
    const [presubmit] = (config as { presubmits: Record<string, any[]> }).presubmits[
        "kubevirt/kubevirtci"
    ];

    it("is a presubmit of the repository, run on request, with the same pod", () => {
        expect(Object.keys(config)).toEqual(["presubmits"]);
        expect(presubmit).toMatchObject({ always_run: false, optional: true, decorate: true });
        expect(presubmit.spec).toEqual(externalJobConfig(job, context()).periodics![0].spec);
        expect(presubmit.cron).toBeUndefined();
    });

    it("has a trigger that its rerun command matches, and only for its own name", () => {
        // Prow's Go regexp: (?m) is JavaScript's "m" flag.
        const trigger = new RegExp(presubmit.trigger.replace(/^\(\?m\)/, ""), "m");
        expect(presubmit.rerun_command).toBe("/test pull-kubevirt-e2e.arm");
        expect(trigger.test(presubmit.rerun_command)).toBe(true);
        expect(trigger.test("/test all\n/test pull-kubevirt-e2e.arm")).toBe(true);
        expect(trigger.test("/test pull-kubevirt-e2e-arm")).toBe(false);
        expect(trigger.test("/test pull-kubevirt-e2e.arm2")).toBe(false);
    });
});

describe("externalJobFragment", () => {
    it("says which pod_namespace Prow's config must carry, then holds the job config file", () => {
        const fragment = externalJobFragment(JOB, context());
        expect(fragment.split("\n")[0]).toBe(
            "# Prow's config must carry pod_namespace: kubevirt-prow-jobs (where this job's pod runs, beside kubevirtci-external-kubeconfigs).",
        );
        expect(yaml.load(fragment)).toEqual(externalJobConfig(JOB, context()));
    });
});

describe("Prow's job name rule", () => {
    it.each([
        ["a".repeat(PROW_JOB_NAME_MAX), undefined],
        [
            "a".repeat(PROW_JOB_NAME_MAX + 1),
            "it has 64 characters; Prow's job names have at most 63 (Prow labels the job's pods with it)",
        ],
        ["periodic arm", "Prow's job names must match ^[A-Za-z0-9-._]+$"],
    ])("judges %j", (name, rule) => {
        expect(prowJobNameRule(name)).toBe(rule);
    });

    it("leaves an external cluster's entry at most 43 characters", () => {
        expect(prowJobNameRule(externalJobName("e".repeat(43)))).toBeUndefined();
        expect(prowJobNameRule(externalJobName("e".repeat(44)))).toContain("64 characters");
    });
});

describe("validateJobOptions", () => {
    it("accepts the defaults, and a presubmit whose cron is unused", () => {
        expect(validateJobOptions(DEFAULT_JOB)).toEqual([]);
        expect(validateJobOptions({ ...DEFAULT_JOB, type: "presubmit", cron: "" })).toEqual([]);
    });

    it("names each setting that breaks its rule", () => {
        const issues = validateJobOptions({
            type: "postsubmit" as KubevirtciJobOptions["type"],
            repo: "kubevirt",
            cron: "every day",
            command: " ",
        });
        expect(issues.map((i) => i.field)).toEqual(["jobType", "jobRepo", "jobCommand"]);
        expect(
            validateJobOptions({ ...DEFAULT_JOB, cron: "every day" }).map(
                (i) => `${i.field} ${i.message}`,
            ),
        ).toEqual([
            'jobCron must be a cron schedule of five fields (or @daily, ...); got "every day"',
        ]);
    });
});
