import {
    additionalServices,
    AMPHORA_IMAGE,
    DevStackSettings,
    GLANCE_LIMIT_IMAGE_SIZE_TOTAL_MB,
} from "../settings";
import { devstackScript, roleCloudConfig, SCRIPTS } from "./common";
import { LocalConf, ML2_MTU, renderLocalConf, sharedLocalrc } from "./local-conf";
import { CloudConfig, DevStackPasswords, MachineKeys } from "./types";

/** How often the controller looks for the worker's compute service, in seconds. */
export const WORKER_POLL_SECONDS = 60;

/** The controller runs every control-plane service, compute, Octavia, Cinder and the L3 agent. */
export function controllerLocalConf(s: DevStackSettings, passwords: DevStackPasswords): LocalConf {
    const branch = `stable/${s.openstackRelease}`;
    return {
        localrc: [
            ...sharedLocalrc(s.controllerIp, passwords),
            ["FLOATING_RANGE", s.floatingRange],
            ["Q_ML2_PLUGIN_MECHANISM_DRIVERS", "openvswitch"],
            // Only the test images (uploaded after install) and the amphora Octavia boots.
            ["DOWNLOAD_DEFAULT_IMAGES", "False"],
            ["IMAGE_URLS", `"${AMPHORA_IMAGE}"`],
            // The kube image alone exceeds Glance's default per-project total.
            ["GLANCE_LIMIT_IMAGE_SIZE_TOTAL", String(GLANCE_LIMIT_IMAGE_SIZE_TOTAL_MB)],
        ],
        plugins: [
            { name: "neutron", url: "https://github.com/openstack/neutron", branch },
            { name: "octavia", url: "https://github.com/openstack/octavia", branch },
        ],
        services: [
            "key",
            "rabbit",
            "mysql",
            "n-api",
            "n-cpu",
            "n-cond",
            "n-sch",
            "n-novnc",
            "n-api-meta",
            "placement-api",
            "placement-client",
            "g-api",
            "neutron-api",
            "neutron-agent",
            "neutron-dhcp",
            "neutron-l3",
            "neutron-metadata-agent",
            "neutron-trunk",
            "neutron-qos",
            "octavia",
            "o-api",
            "o-cw",
            "o-hm",
            "o-hk",
            "o-da",
            "c-sch",
            "c-api",
            "c-vol",
            ...additionalServices(s),
        ],
        postConfig: [
            {
                file: "$NOVA_CONF",
                sections: [
                    {
                        name: "DEFAULT",
                        options: [
                            // An n2-standard-16 at ratio 2.0 offers 32 vCPUs: two test clusters at once.
                            ["cpu_allocation_ratio", "2.0"],
                            // Workloads stay on the controller unless a test asks for the worker's zone.
                            ["default_schedule_zone", s.primaryAz],
                        ],
                    },
                    {
                        name: "scheduler",
                        options: [["query_placement_for_availability_zone", "True"]],
                    },
                ],
            },
            {
                file: "$CINDER_CONF",
                sections: [
                    { name: "DEFAULT", options: [["storage_availability_zone", s.primaryAz]] },
                ],
            },
            ML2_MTU,
            {
                file: "$NEUTRON_CONF",
                sections: [{ name: "DEFAULT", options: [["service_plugins", "trunk,router"]] }],
            },
        ],
    };
}

/** Run as the stack user once DevStack is up: images, the primary zone, flavors, quotas. */
function postInstallScript(s: DevStackSettings): string {
    const flavors = s.flavors.flatMap((f) => [
        `openstack flavor delete ${f.name} || true`,
        `openstack flavor create --ram ${f.ramMb} --disk ${f.diskGb} --vcpus ${f.vcpus} --public --id ${f.id} ${f.name} --property hw_rng:allowed=True`,
    ]);
    return [
        "#!/bin/bash",
        "set -o xtrace -o errexit -o nounset -o pipefail",
        "echo 'source /opt/stack/devstack/openrc admin admin' >> /opt/stack/.bashrc",
        "source /opt/stack/devstack/openrc admin admin",
        // Uploaded here so that tests need not upload them from Prow.
        ...s.images.map((url) => `/opt/stack/devstack/tools/upload_image.sh ${url}`),
        "# The controller's compute services form the primary availability zone.",
        `openstack aggregate create --zone ${s.primaryAz} ${s.primaryAz}`,
        "for host in $(openstack compute service list --service nova-compute -f value -c Host); do",
        `    openstack aggregate add host ${s.primaryAz} "$host"`,
        "done",
        ...flavors,
        "openstack quota set --cores 32 demo",
        "openstack quota set --secgroups 200 --secgroup-rules 1000 demo",
        "openstack quota set --secgroups 100 --secgroup-rules 1000 admin",
        "",
    ].join("\n");
}

/** Polls for the worker's compute service, then puts the worker into the secondary zone. */
function registerWorkerScript(s: DevStackSettings): string {
    return [
        "#!/bin/bash",
        "set -o errexit -o nounset -o pipefail",
        "source /opt/stack/devstack/openrc admin admin",
        'until [ "$(openstack compute service list --service nova-compute -f value | wc -l)" -ge 2 ]; do',
        `    sleep ${WORKER_POLL_SECONDS}`,
        "done",
        "nova-manage cell_v2 discover_hosts",
        `openstack aggregate show ${s.secondaryAz} >/dev/null 2>&1 || openstack aggregate create --zone ${s.secondaryAz} ${s.secondaryAz}`,
        'for hypervisor in $(openstack hypervisor list -f value -c "Hypervisor Hostname" | grep -v "$(hostname)"); do',
        `    openstack aggregate add host ${s.secondaryAz} "$hypervisor"`,
        "done",
        "",
    ].join("\n");
}

const REGISTER_WORKER_UNIT = `[Unit]
Description=Put the DevStack worker into the secondary availability zone once it registers

[Service]
Type=oneshot
User=stack
Environment=TERM=ansi
ExecStart=${SCRIPTS}/register-worker.sh

[Install]
WantedBy=multi-user.target
`;

export function controllerCloudConfig(
    s: DevStackSettings,
    passwords: DevStackPasswords,
    keys: MachineKeys,
): CloudConfig {
    return roleCloudConfig(
        s,
        s.controllerIp,
        keys,
        renderLocalConf(controllerLocalConf(s, passwords)),
        [
            {
                path: `${SCRIPTS}/post-install.sh`,
                permissions: "0755",
                content: postInstallScript(s),
            },
            {
                path: `${SCRIPTS}/register-worker.sh`,
                permissions: "0755",
                content: registerWorkerScript(s),
            },
            {
                path: "/etc/systemd/system/register-worker.service",
                permissions: "0644",
                content: REGISTER_WORKER_UNIT,
            },
            devstackScript([
                `su - stack -c ${SCRIPTS}/post-install.sh`,
                "# ML2/OVS routes all floating traffic through the controller's L3 agent: NAT it out.",
                `interface=$(ip -j addr show | jq -re --arg ip "$HOST_IP" 'map(select(.addr_info | map(.local == $ip) | any)) | first | .ifname')`,
                `iptables -t nat -I POSTROUTING -o "$interface" -s ${s.floatingRange} -j MASQUERADE`,
                `iptables -I FORWARD -s ${s.floatingRange} -j ACCEPT`,
                "systemctl daemon-reload",
                "systemctl start --no-block register-worker",
            ]),
        ],
    );
}
