import * as fc from "fast-check";
import { formatIp } from "../../../components/devstack/cidr";
import { DEFAULT_DEVSTACK, DevStackSettings } from "../../../components/devstack/settings";

/** CAPO's DevStack (create_devstack.sh), for a CI run of CAPO's e2e presubmit. */
export const SETTINGS: DevStackSettings = {
    ...DEFAULT_DEVSTACK,
    project: "capo-ci-boskos-042",
    projectLeased: true,
    run: {
        stack: "ci-pull-capo-e2e-1234",
        jobName: "pull-cluster-api-provider-openstack-e2e",
        buildId: "1234",
        prowJobId: "9f0c",
        pullNumber: "",
        ttlHours: 24,
    },
};

/** A random IPv4 block: a prefix and the network address with its host bits cleared. */
export const arbitraryCidr = fc
    .tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 8, max: 30 }))
    .map(([address, prefix]) => {
        const block = 2 ** (32 - prefix);
        return `${formatIp(Math.floor(address / block) * block)}/${prefix}`;
    });
