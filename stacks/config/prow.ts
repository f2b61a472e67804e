import * as pulumi from "@pulumi/pulumi";
import { JobType } from "../../components/prow/jobs";
import { ExternalProviderJob, ProwSettings, validateProw } from "../../components/prow/settings";
import { checkImage, checkPattern, Issue } from "../../providers/validation";
import { fieldKeys } from "./keys";
import { Reader } from "./reader";

/**
 * KubeVirt's Prow wiring, from configuration. The kubeconfigs are secret objects, set with
 * `pulumi config set --secret --path 'prowKubeconfigs.<alias>' "$(cat kubeconfig)"`; they are
 * read and checked when the stack is built (stacks/prow.ts), since they are secrets.
 */
export interface ProwConfig extends ProwSettings {
    image: string;
    /** The automation key (armored public key) and the key id it must have. */
    gpgPublicKey: string;
    gpgRecipient: string;
    /** Admin kubeconfigs of the build clusters, as a JSON object by alias (a secret). */
    buildKubeconfigs?: pulumi.Output<string>;
    /** Admin kubeconfigs of the external-provider clusters, by entry (a secret). */
    externalKubeconfigs?: pulumi.Output<string>;
    /** The Prow service cluster's kubeconfig (a secret). */
    serviceKubeconfig?: pulumi.Output<string>;
}

const PROW_KEYS = fieldKeys("prow");

/** "alias=N": a build cluster with N control-plane nodes. */
function parseBuildCluster(entry: string, i: number, issues: Issue[]) {
    const m = /^([^=]+)=(\d+)$/.exec(entry);
    if (!m) {
        issues.push({
            field: `prowBuildClusters[${i}]`,
            message: `must be ALIAS=CONTROL_PLANE_NODES, such as prow-workloads=3; got ${JSON.stringify(entry)}`,
        });
        return { alias: entry, controlPlaneNodes: NaN };
    }
    return { alias: m[1], controlPlaneNodes: Number(m[2]) };
}

/** "job=secretKey@cluster": a job using an external cluster's kubeconfig from a build cluster. */
function parseJob(entry: string, i: number, issues: Issue[]): ExternalProviderJob {
    const m = /^([^=@]+)=([^=@]+)@([^=@]+)$/.exec(entry);
    if (!m) {
        issues.push({
            field: `kubevirtciJobs[${i}]`,
            message: `must be JOB=SECRET_KEY@CLUSTER; got ${JSON.stringify(entry)}`,
        });
        return { name: entry, secretKey: "", cluster: "" };
    }
    return { name: m[1], secretKey: m[2], cluster: m[3] };
}

export function readProw(reader: Reader): ProwConfig {
    const parseIssues: Issue[] = [];
    const buildClusters = reader
        .get("prowBuildClusters")
        .map((e, i) => parseBuildCluster(e, i, parseIssues));
    const settings: ProwConfig = {
        buildClusters,
        defaultCluster: reader.get("prowDefaultCluster") || (buildClusters[0]?.alias ?? ""),
        jobsNamespace: reader.get("prowJobsNamespace"),
        prowNamespace: reader.get("prowNamespace"),
        kubeconfigSecret: reader.get("prowKubeconfigSecret"),
        kubeconfigSecretKey: reader.get("prowKubeconfigSecretKey"),
        tokenTtlHours: reader.get("prowTokenTtlHours"),
        externalClusters: reader.get("kubevirtciClusters"),
        externalSecret: reader.get("kubevirtciSecret"),
        jobs: reader.get("kubevirtciJobs").map((e, i) => parseJob(e, i, parseIssues)),
        job: {
            type: reader.get("kubevirtciJobType") as JobType,
            repo: reader.get("kubevirtciJobRepo"),
            cron: reader.get("kubevirtciJobCron"),
            command: reader.get("kubevirtciJobCommand"),
        },
        image: reader.get("kubevirtciImage"),
        gpgPublicKey: reader.get("gpgPublicKey"),
        gpgRecipient: reader.get("gpgRecipient"),
        buildKubeconfigs: reader.secret("prowKubeconfigs"),
        externalKubeconfigs: reader.secret("kubevirtciKubeconfigs"),
        serviceKubeconfig: reader.secret("prowServiceKubeconfig"),
    };
    reader.report(parseIssues);
    reader.report([
        ...checkImage("kubevirtciImage", settings.image),
        ...checkPattern(
            "gpgRecipient",
            settings.gpgRecipient,
            /^((0x)?([0-9A-Fa-f]{16}|[0-9A-Fa-f]{40}))?$/,
            "empty, or an OpenPGP key id (16 hex digits) or fingerprint (40)",
        ),
    ]);
    reader.report(validateProw(settings), PROW_KEYS);
    if (settings.gpgPublicKey !== "") {
        reader.report(
            checkPattern(
                "gpgPublicKey",
                settings.gpgPublicKey,
                /-----BEGIN PGP PUBLIC KEY BLOCK-----/,
                "an armored OpenPGP public key",
            ),
        );
    }
    return settings;
}
