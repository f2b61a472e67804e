import * as yaml from "js-yaml";
import { renderCloudsYaml } from "../../../components/devstack/clouds-yaml";

describe("clouds.yaml", () => {
    const doc = yaml.load(
        renderCloudsYaml({ name: "capo-e2e", publicIp: "34.86.1.2", adminPassword: "pw" }),
    ) as {
        clouds: Record<
            string,
            { auth: Record<string, string>; region_name: string; verify: boolean }
        >;
    };

    it("has the demo and admin entries CAPO's e2e tests name (OPENSTACK_CLOUD and -admin)", () => {
        expect(Object.keys(doc.clouds)).toEqual(["capo-e2e", "capo-e2e-admin"]);
        expect(doc.clouds["capo-e2e"].auth).toMatchObject({
            username: "demo",
            project_name: "demo",
        });
        expect(doc.clouds["capo-e2e-admin"].auth).toMatchObject({
            username: "admin",
            project_name: "admin",
        });
    });

    it("reaches keystone on the controller's public address, unverified, in RegionOne", () => {
        for (const cloud of Object.values(doc.clouds)) {
            expect(cloud.auth.auth_url).toBe("http://34.86.1.2/identity");
            expect(cloud.auth.user_domain_id).toBe("default");
            expect(cloud.auth.password).toBe("pw");
            expect(cloud.verify).toBe(false);
            expect(cloud.region_name).toBe("RegionOne");
        }
    });
});
