import * as yaml from "js-yaml";

/** What clouds.yaml needs to reach the DevStack: its public address and admin password. */
export interface CloudsYamlArgs {
    /** The cloud name; `<name>-admin` is the admin entry (CAPO's OPENSTACK_CLOUD and -admin). */
    name: string;
    publicIp: string;
    adminPassword: string;
}

/** clouds.yaml with the demo and admin entries, as CAPO's e2e tests read it. */
export function renderCloudsYaml(args: CloudsYamlArgs): string {
    const entry = (user: "demo" | "admin") => ({
        auth: {
            auth_url: `http://${args.publicIp}/identity`,
            username: user,
            password: args.adminPassword,
            project_name: user,
            user_domain_id: "default",
            project_domain_id: "default",
        },
        region_name: "RegionOne",
        // DevStack serves its APIs with a self-signed certificate, if any.
        verify: false,
    });
    return yaml.dump(
        { clouds: { [args.name]: entry("demo"), [`${args.name}-admin`]: entry("admin") } },
        { lineWidth: -1 },
    );
}
