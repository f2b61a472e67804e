import { additionalServices, DevStackSettings } from "../settings";
import { devstackScript, roleCloudConfig } from "./common";
import { LocalConf, ML2_MTU, renderLocalConf, sharedLocalrc } from "./local-conf";
import { CloudConfig, DevStackPasswords, MachineKeys } from "./types";

/** The worker runs compute, a neutron agent and a volume service, pointed at the controller. */
export function workerLocalConf(s: DevStackSettings, passwords: DevStackPasswords): LocalConf {
    return {
        localrc: [
            ...sharedLocalrc(s.workerIp, passwords),
            ["SERVICE_HOST", s.controllerIp],
            ["RABBIT_HOST", "$SERVICE_HOST"],
            ["GLANCE_HOSTPORT", "$SERVICE_HOST:9292"],
            // c-vol builds its database URL from these.
            ["DATABASE_TYPE", "mysql"],
            ["DATABASE_HOST", "$SERVICE_HOST"],
        ],
        plugins: [
            {
                name: "neutron",
                url: "https://github.com/openstack/neutron",
                branch: `stable/${s.openstackRelease}`,
            },
        ],
        services: ["n-cpu", "placement-client", "c-vol", "neutron-agent", ...additionalServices(s)],
        postConfig: [
            {
                file: "$NOVA_CONF",
                sections: [{ name: "DEFAULT", options: [["cpu_allocation_ratio", "2.0"]] }],
            },
            // The worker's volumes are in the secondary zone; the controller puts its compute there.
            {
                file: "$CINDER_CONF",
                sections: [
                    { name: "DEFAULT", options: [["storage_availability_zone", s.secondaryAz]] },
                ],
            },
            ML2_MTU,
        ],
    };
}

export function workerCloudConfig(
    s: DevStackSettings,
    passwords: DevStackPasswords,
    keys: MachineKeys,
): CloudConfig {
    const localConf = renderLocalConf(workerLocalConf(s, passwords));
    return roleCloudConfig(s, s.workerIp, keys, localConf, [devstackScript([])]);
}
