import * as yaml from "js-yaml";
import { DevStackSettings } from "../settings";
import { CloudConfig, MachineKeys, WriteFile } from "./types";

/** Where the DevStack scripts live on the machines (not /tmp, which systemd may clean). */
export const SCRIPTS = "/opt/devstack-ci";

/** The user CI logs in as (sshuttle, the cloud-init wait). */
export const LOGIN_USER = "cloud";

/** Shell functions both roles run, for the machine's own address `hostIp`. */
function commonScript(s: DevStackSettings, hostIp: string): string {
    return `# DevStack install steps shared by the controller and the worker.
HOST_IP=${hostIp}
OPENSTACK_RELEASE=${s.openstackRelease}

# DevStack needs hardware virtualization: the instance must have nested virtualization on.
ensure_kvm() {
    modprobe kvm-intel || true
    if [ ! -c /dev/kvm ]; then
        echo "/dev/kvm is missing: nested virtualization is not enabled on this instance" >&2
        exit 1
    fi
}

# Fetches DevStack and hands it to the stack user, whose home is /opt/stack.
install_devstack() {
    git clone --depth 1 -b "stable/$OPENSTACK_RELEASE" https://github.com/openstack/devstack.git /tmp/devstack
    cp ${SCRIPTS}/local.conf /tmp/devstack/
    HOST_IP=$HOST_IP /tmp/devstack/tools/create-stack-user.sh
    chmod 0755 /opt/stack
    mv /tmp/devstack /opt/stack/
    chown -R stack:stack /opt/stack/devstack
}

run_devstack() {
    su - stack -c "TERM=vt100 /opt/stack/devstack/stack.sh"
}
`;
}

/** The part of both machines' cloud-config that does not depend on the role. */
export function commonCloudConfig(
    s: DevStackSettings,
    hostIp: string,
    keys: MachineKeys,
): CloudConfig {
    return {
        users: [
            {
                name: LOGIN_USER,
                lock_passwd: true,
                sudo: "ALL=(ALL) NOPASSWD:ALL",
                shell: "/bin/bash",
                ssh_authorized_keys: [keys.login],
            },
        ],
        ssh_keys: {
            ed25519_private: keys.host.privateKey,
            ed25519_public: keys.host.publicKey,
        },
        ssh_deletekeys: true,
        // python3 for sshuttle's remote end, git for DevStack, jq for the scripts.
        packages: ["python3", "git", "jq"],
        package_upgrade: true,
        write_files: [
            {
                path: "/etc/sysctl.d/60-devstack.conf",
                permissions: "0644",
                content: [
                    "net.ipv4.ip_forward=1",
                    "net.ipv4.conf.default.rp_filter=0",
                    "net.ipv4.conf.all.rp_filter=0",
                    "",
                ].join("\n"),
            },
            { path: `${SCRIPTS}/common.sh`, permissions: "0644", content: commonScript(s, hostIp) },
            // GCE's guest agent would replace the host keys on first boot (its InstanceSetup
            // set_host_keys, GoogleCloudPlatform/guest-agent); cloud-init runs before it.
            {
                path: "/etc/default/instance_configs.cfg",
                permissions: "0644",
                content: "[InstanceSetup]\nset_host_keys = false\n",
            },
        ],
        runcmd: ["sysctl -p /etc/sysctl.d/60-devstack.conf", `${SCRIPTS}/devstack.sh`],
        final_message: "DevStack is up after $UPTIME seconds",
    };
}

/** A role's devstack.sh: the common steps, then `steps`. */
export function devstackScript(steps: string[]): WriteFile {
    return {
        path: `${SCRIPTS}/devstack.sh`,
        permissions: "0755",
        content: [
            "#!/bin/bash",
            "set -o xtrace -o errexit -o nounset -o pipefail",
            `source ${SCRIPTS}/common.sh`,
            "ensure_kvm",
            "install_devstack",
            "run_devstack",
            ...steps,
            "",
        ].join("\n"),
    };
}

/** A machine's whole cloud-config: the common part, its local.conf (0600: it holds passwords), `files`. */
export function roleCloudConfig(
    s: DevStackSettings,
    hostIp: string,
    keys: MachineKeys,
    localConf: string,
    files: WriteFile[],
): CloudConfig {
    const role = {
        write_files: [
            { path: `${SCRIPTS}/local.conf`, permissions: "0600", content: localConf },
            ...files,
        ],
    };
    return mergeCloudConfigs(commonCloudConfig(s, hostIp, keys), role);
}

/** Merges a role's cloud-config into the common one (lists are appended). */
export function mergeCloudConfigs(common: CloudConfig, role: CloudConfig): CloudConfig {
    return {
        ...common,
        ...role,
        write_files: [...(common.write_files ?? []), ...(role.write_files ?? [])],
        runcmd: [...(common.runcmd ?? []), ...(role.runcmd ?? [])],
    };
}

/** The user data GCE hands cloud-init: `#cloud-config` and the YAML. */
export function renderCloudConfig(config: CloudConfig): string {
    return `#cloud-config\n${yaml.dump(config, { lineWidth: -1, noRefs: true })}`;
}
