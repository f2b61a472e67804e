import { MTU } from "../settings";
import { DevStackPasswords } from "./types";

/**
 * DevStack's local.conf, typed: the `localrc` assignments and plugins, then `post-config`
 * meta-sections that DevStack merges into a service's INI file after installing it.
 */
export interface LocalConf {
    localrc: [string, string][];
    /** enable_plugin NAME URL BRANCH */
    plugins: { name: string; url: string; branch: string }[];
    services: string[];
    postConfig: PostConfig[];
}

export interface PostConfig {
    /** The INI file, as DevStack names it ($NOVA_CONF, /$NEUTRON_CORE_PLUGIN_CONF, ...). */
    file: string;
    sections: { name: string; options: [string, string][] }[];
}

export function renderLocalConf(conf: LocalConf): string {
    const lines = ["[[local|localrc]]"];
    lines.push(...conf.localrc.map(([k, v]) => `${k}=${v}`));
    lines.push(...conf.plugins.map((p) => `enable_plugin ${p.name} ${p.url} ${p.branch}`));
    lines.push(`ENABLED_SERVICES=${conf.services.join(",")}`);
    for (const post of conf.postConfig) {
        lines.push("", `[[post-config|${post.file}]]`);
        for (const section of post.sections) {
            lines.push(`[${section.name}]`, ...section.options.map(([k, v]) => `${k} = ${v}`));
        }
    }
    return lines.join("\n") + "\n";
}

/** The localrc settings both machines share: logging, the service passwords, KVM, OVS, Cinder. */
export function sharedLocalrc(hostIp: string, passwords: DevStackPasswords): [string, string][] {
    return [
        ["GIT_BASE", "https://github.com"],
        ["HOST_IP", hostIp],
        ["SERVICE_TIMEOUT", "240"],
        ["LOGFILE", "/opt/stack/logs/stack.sh.log"],
        ["VERBOSE", "True"],
        ["LOG_COLOR", "False"],
        ["DATABASE_PASSWORD", passwords.database],
        ["RABBIT_PASSWORD", passwords.rabbit],
        ["ADMIN_PASSWORD", passwords.admin],
        ["SERVICE_PASSWORD", passwords.service],
        ["LIBVIRT_TYPE", "kvm"],
        ["Q_AGENT", "openvswitch"],
        ["VOLUME_BACKING_FILE_SIZE", "100G"],
    ];
}

/** Neutron's ML2 path MTU, which must match the GCE network's. */
export const ML2_MTU: PostConfig = {
    file: "/$NEUTRON_CORE_PLUGIN_CONF",
    sections: [{ name: "ml2", options: [["path_mtu", String(MTU)]] }],
};
