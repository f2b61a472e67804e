import * as path from "path";
import * as command from "@pulumi/command";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { GeneratedPassword, SshHostKey, SshKeyPair } from "../../providers/credentials/generated";
import { SecretFile } from "../../providers/files/secret-file";
import { LOGIN_USER, renderCloudConfig } from "./cloud-init/common";
import { controllerCloudConfig } from "./cloud-init/controller";
import { DevStackPasswords } from "./cloud-init/types";
import { workerCloudConfig } from "./cloud-init/worker";
import { renderCloudsYaml } from "./clouds-yaml";
import { createInstance } from "./instances";
import { knownHostsLines } from "./ssh";
import { collectLogsScript } from "./logs";
import { objectNames, objectPrefix, Role } from "./names";
import { createNetwork, DevStackNetwork } from "./network";
import { CLOUD_INIT_WAIT, identityCheckScript, identityUrl } from "./readiness";
import { DevStackSettings, validateDevStack, ZONE_FIELDS } from "./settings";
import { sshuttleStartScript, sshuttleStopScript } from "./tunnel";
import { refuseIssues } from "../common/refuse-issues";

export interface DevStackArgs {
    settings: DevStackSettings;
    /** The stack's folder: clouds.yaml, the SSH key and the tunnel's pidfile go under it. */
    stackDir: string;
}

/**
 * CAPO's two-node DevStack on GCP: a VPC, a controller (every service) and a worker (compute,
 * in the second availability zone), cloud-init from typed templates, clouds.yaml, and an sshuttle
 * tunnel to the private and floating networks. The worker is created once the controller exists
 * and is not waited on; the cloud is ready when the controller's cloud-init has finished and the
 * Identity API answers through the tunnel.
 */
export class DevStack extends pulumi.ComponentResource {
    public readonly network: DevStackNetwork;
    public readonly controller: gcp.compute.Instance;
    public readonly worker: gcp.compute.Instance;
    /** The controller's public address (clouds.yaml's auth_url host, the tunnel's remote). */
    public readonly controllerPublicIp: pulumi.Output<string>;
    /** clouds.yaml (a secret): entries `<name>` (demo) and `<name>-admin`. */
    public readonly cloudsYaml: pulumi.Output<string>;
    /** The 0600 clouds.yaml file, for OPENSTACK_CLOUD_YAML_FILE. */
    public readonly cloudsYamlFile: pulumi.Output<string>;
    /** OPENSTACK_FAILURE_DOMAIN and OPENSTACK_FAILURE_DOMAIN_ALT. */
    public readonly failureDomain: string;
    public readonly failureDomainAlt: string;
    /** Keystone's version document, once the Identity API answers through the tunnel. */
    public readonly ready: pulumi.Output<string>;
    public readonly tunnel: command.local.Command;

    constructor(name: string, args: DevStackArgs, opts?: pulumi.ComponentResourceOptions) {
        super("k8sci:devstack:DevStack", name, {}, opts);
        const s = args.settings;
        const issues = validateDevStack(s);
        refuseIssues(this, name, issues);
        const parent = { parent: this };
        const dir = path.join(args.stackDir, "devstack");

        const key = new SshKeyPair(
            `${name}-ssh-key`,
            { comment: `${LOGIN_USER}@${s.name}` },
            parent,
        );
        const passwords = generatePasswords(name, this);
        // Each machine's host key, made here so that ssh can check it from the first connection.
        const hostKeys = {
            controller: hostKey(name, "controller", s, this),
            worker: hostKey(name, "worker", s, this),
        };
        const userData = (role: Role, config: typeof controllerCloudConfig) =>
            pulumi.secret(
                pulumi
                    .all([
                        key.publicKey,
                        hostKeys[role].publicKey,
                        hostKeys[role].privateKey,
                        passwords,
                    ])
                    .apply(([login, publicKey, privateKey, pw]) =>
                        renderCloudConfig(
                            config(s, pw, { login, host: { publicKey, privateKey } }),
                        ),
                    ),
            );

        this.network = createNetwork(s, this);
        const instance = (role: Role) => ({
            role,
            zone: s[ZONE_FIELDS[role]],
            subnet: this.network.subnet,
            sshPublicKey: key.publicKey,
            machineType: role === "controller" ? s.controllerMachineType : s.workerMachineType,
            privateIp: role === "controller" ? s.controllerIp : s.workerIp,
        });
        this.controller = createInstance(
            s,
            { ...instance("controller"), userData: userData("controller", controllerCloudConfig) },
            { parent: this, dependsOn: [this.network.nat, ...this.network.firewalls] },
        );
        // After the controller exists, as CAPO's create_devstack.sh; the run does not wait for it to finish.
        this.worker = createInstance(
            s,
            { ...instance("worker"), userData: userData("worker", workerCloudConfig) },
            { parent: this, dependsOn: [this.controller] },
        );
        const publicIp = (vm: gcp.compute.Instance) =>
            vm.networkInterfaces.apply((nics) => nics[0].accessConfigs?.[0]?.natIp ?? "");
        this.controllerPublicIp = publicIp(this.controller);

        const keyFile = new SecretFile(
            `${name}-ssh-private-key`,
            { path: path.join(dir, "id_rsa"), content: key.privateKeyPem, stackDir: args.stackDir },
            parent,
        );
        const workerPublicIp = publicIp(this.worker);
        // The machines' host keys at their public addresses: ssh trusts these and nothing else.
        const knownHosts = new SecretFile(
            `${name}-known-hosts`,
            {
                path: path.join(dir, "known_hosts"),
                content: pulumi
                    .all([
                        this.controllerPublicIp,
                        hostKeys.controller.publicKey,
                        workerPublicIp,
                        hostKeys.worker.publicKey,
                    ])
                    .apply(([controller, controllerKey, worker, workerKey]) =>
                        knownHostsLines([
                            { address: controller, hostKey: controllerKey },
                            { address: worker, hostKey: workerKey },
                        ]),
                    ),
                stackDir: args.stackDir,
            },
            parent,
        );
        const trust = { keyFile: keyFile.path, knownHostsFile: knownHosts.path };
        const tunnelSpec = {
            remote: pulumi.interpolate`${LOGIN_USER}@${this.controllerPublicIp}`,
            ...trust,
            pidFile: path.join(dir, "sshuttle.pid"),
            routes: [s.privateCidr, s.floatingRange],
            version: s.sshuttleVersion,
            attempts: 50,
            retrySeconds: 30,
            pidFileWaitSeconds: 10,
        };
        this.tunnel = new command.local.Command(
            `${name}-sshuttle`,
            {
                create: pulumi.output(tunnelSpec).apply(sshuttleStartScript),
                delete: sshuttleStopScript(tunnelSpec),
                interpreter: ["/bin/bash", "-c"],
                triggers: [this.controllerPublicIp, keyFile.path, knownHosts.path],
            },
            // The old daemon holds the pidfile and the routes: it must stop before a new one starts.
            {
                parent: this,
                dependsOn: [keyFile, knownHosts, this.controller],
                deleteBeforeReplace: true,
            },
        );
        const hosts = pulumi
            .all([this.controllerPublicIp, workerPublicIp])
            .apply(([controller, worker]) => [
                { role: "controller" as const, address: controller },
                { role: "worker" as const, address: worker },
            ]);
        new command.local.Command(
            `${name}-logs`,
            {
                create: "true",
                delete: pulumi
                    .all([hosts, trust])
                    .apply(([h, t]) => collectLogsScript({ hosts: h, user: LOGIN_USER, ...t })),
                interpreter: ["/bin/bash", "-c"],
                triggers: [hosts],
            },
            { parent: this, dependsOn: [keyFile, knownHosts, this.controller, this.worker] },
        );

        const waitForCloudInit = new command.remote.Command(
            `${name}-controller-cloud-init`,
            {
                connection: {
                    host: this.controllerPublicIp,
                    user: LOGIN_USER,
                    privateKey: key.privateKeyPem,
                    hostKey: hostKeys.controller.publicKey,
                    // The controller boots and starts sshd after the instance exists.
                    dialErrorLimit: 20,
                    perDialTimeout: 30,
                },
                create: CLOUD_INIT_WAIT,
                triggers: [this.controller.instanceId],
            },
            { parent: this, dependsOn: [this.controller] },
        );
        const identityApi = new command.local.Command(
            `${name}-identity-api`,
            {
                create: identityCheckScript({
                    url: identityUrl(s.controllerIp),
                    attempts: 5,
                    retrySeconds: 30,
                    timeoutSeconds: 30,
                }),
                interpreter: ["/bin/bash", "-c"],
                triggers: [this.controller.instanceId, this.tunnel.id],
            },
            { parent: this, dependsOn: [waitForCloudInit, this.tunnel] },
        );
        this.ready = identityApi.stdout;

        this.cloudsYaml = pulumi.secret(
            pulumi
                .all([this.controllerPublicIp, passwords])
                .apply(([publicIp, pw]) =>
                    renderCloudsYaml({ name: s.name, publicIp, adminPassword: pw.admin }),
                ),
        );
        this.cloudsYamlFile = new SecretFile(
            `${name}-clouds-yaml`,
            {
                path: path.join(args.stackDir, "clouds.yaml"),
                content: this.cloudsYaml,
                stackDir: args.stackDir,
            },
            { parent: this, dependsOn: [identityApi] },
        ).path;
        this.failureDomain = s.primaryAz;
        this.failureDomainAlt = s.secondaryAz;

        this.registerOutputs({
            controllerPublicIp: this.controllerPublicIp,
            cloudsYaml: this.cloudsYaml,
            cloudsYamlFile: this.cloudsYamlFile,
            failureDomain: this.failureDomain,
            failureDomainAlt: this.failureDomainAlt,
            ready: this.ready,
        });
    }
}

/** A machine's host key, named for the instance it is the key of. */
function hostKey(name: string, role: Role, s: DevStackSettings, parent: pulumi.Resource) {
    const instance = objectNames(objectPrefix(s)).instance(role);
    return new SshHostKey(`${name}-${role}-host-key`, { comment: `root@${instance}` }, { parent });
}

/** DevStack's service credentials, generated for the run (CAPO's cloud-init had fixed strings). */
function generatePasswords(
    name: string,
    parent: pulumi.Resource,
): pulumi.Output<DevStackPasswords> {
    const password = (role: keyof DevStackPasswords) =>
        new GeneratedPassword(`${name}-${role}-password`, {}, { parent }).value;
    const passwords: pulumi.Output<DevStackPasswords> = pulumi.output({
        database: password("database"),
        rabbit: password("rabbit"),
        admin: password("admin"),
        service: password("service"),
    });
    return pulumi.secret(passwords);
}
