import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { renderCloudConfig } from "../../../components/devstack/cloud-init/common";
import {
    controllerCloudConfig,
    WORKER_POLL_SECONDS,
} from "../../../components/devstack/cloud-init/controller";
import { CloudConfig } from "../../../components/devstack/cloud-init/types";
import { workerCloudConfig } from "../../../components/devstack/cloud-init/worker";
import { newEd25519KeyPair } from "../../../providers/credentials/sshkey";
import { SETTINGS } from "./fixtures";

const PASSWORDS = { database: "db0", rabbit: "rb0", admin: "ad0", service: "sv0" };
const KEY = "ssh-rsa AAAAB3NzaC1yc2E cloud@capo-e2e";
const HOST_KEYS = {
    controller: newEd25519KeyPair("root@capo-e2e-controller"),
    worker: newEd25519KeyPair("root@capo-e2e-worker"),
};
const keys = (role: keyof typeof HOST_KEYS) => ({ login: KEY, host: HOST_KEYS[role] });

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "cloud-init-"))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const roles = {
    controller: renderCloudConfig(controllerCloudConfig(SETTINGS, PASSWORDS, keys("controller"))),
    worker: renderCloudConfig(workerCloudConfig(SETTINGS, PASSWORDS, keys("worker"))),
};

function parsed(role: keyof typeof roles): CloudConfig {
    return yaml.load(roles[role]) as CloudConfig;
}

function file(role: keyof typeof roles, filePath: string): string {
    const found = parsed(role).write_files?.find((f) => f.path === filePath);
    if (!found) throw new Error(`${role} writes no ${filePath}`);
    return found.content;
}

describe.each(Object.keys(roles) as (keyof typeof roles)[])("the %s's cloud-config", (role) => {
    it("is valid for cloud-init's own schema", () => {
        const target = path.join(dir, `${role}.yaml`);
        fs.writeFileSync(target, roles[role]);
        const out = childProcess
            .execFileSync("cloud-init", ["schema", "--config-file", target])
            .toString();
        expect(out).toContain("Valid cloud-config");
    });

    it("starts with #cloud-config and creates the CI login user with passwordless sudo", () => {
        expect(roles[role].startsWith("#cloud-config\n")).toBe(true);
        expect(parsed(role).users).toEqual([
            {
                name: "cloud",
                lock_passwd: true,
                sudo: "ALL=(ALL) NOPASSWD:ALL",
                shell: "/bin/bash",
                ssh_authorized_keys: [KEY],
            },
        ]);
        expect(parsed(role).packages).toEqual(["python3", "git", "jq"]);
    });

    it("serves its own generated host key only, and keeps GCE's guest agent from replacing it", () => {
        expect(parsed(role).ssh_keys).toEqual({
            ed25519_private: HOST_KEYS[role].privateKey,
            ed25519_public: HOST_KEYS[role].publicKey,
        });
        expect(parsed(role).ssh_deletekeys).toBe(true);
        expect(file(role, "/etc/default/instance_configs.cfg")).toBe(
            "[InstanceSetup]\nset_host_keys = false\n",
        );
    });

    it("forwards IP, disables reverse-path filtering, and requires /dev/kvm", () => {
        expect(file(role, "/etc/sysctl.d/60-devstack.conf").split("\n")).toEqual(
            expect.arrayContaining(["net.ipv4.ip_forward=1", "net.ipv4.conf.all.rp_filter=0"]),
        );
        const common = file(role, "/opt/devstack-ci/common.sh");
        expect(common).toContain("modprobe kvm-intel");
        expect(common).toContain("[ ! -c /dev/kvm ]");
        expect(file(role, "/opt/devstack-ci/devstack.sh")).toMatch(
            /ensure_kvm\ninstall_devstack\nrun_devstack/,
        );
        expect(parsed(role).runcmd).toEqual([
            "sysctl -p /etc/sysctl.d/60-devstack.conf",
            "/opt/devstack-ci/devstack.sh",
        ]);
    });

    it("embeds only shell scripts bash can parse", () => {
        for (const f of parsed(role).write_files!.filter((w) => w.path.endsWith(".sh"))) {
            const script = path.join(dir, `${role}-${path.basename(f.path)}`);
            fs.writeFileSync(script, f.content);
            expect([f.path, childProcess.spawnSync("bash", ["-n", script]).status]).toEqual([
                f.path,
                0,
            ]);
        }
    });

    it("keeps local.conf, which holds the service passwords, unreadable by others", () => {
        const conf = parsed(role).write_files!.find((f) => f.path.endsWith("local.conf"))!;
        expect(conf.permissions).toBe("0600");
        expect(conf.content).toContain("ADMIN_PASSWORD=ad0\n");
        expect(conf.content).toContain("DATABASE_PASSWORD=db0\n");
    });
});

describe("the controller's local.conf", () => {
    const conf = file("controller", "/opt/devstack-ci/local.conf");

    it("runs every control-plane service with ML2/OVS and L3, Octavia and Cinder", () => {
        const services = /^ENABLED_SERVICES=(.*)$/m.exec(conf)![1].split(",");
        expect(services).toEqual(
            expect.arrayContaining([
                "key",
                "mysql",
                "rabbit",
                "n-api",
                "n-cpu",
                "n-sch",
                "g-api",
                "neutron-l3",
                "o-api",
                "c-vol",
            ]),
        );
        expect(conf).toContain("HOST_IP=10.0.3.15\n");
        expect(conf).toContain("FLOATING_RANGE=172.24.4.0/24\n");
        expect(conf).toContain(
            "enable_plugin octavia https://github.com/openstack/octavia stable/2026.1\n",
        );
    });

    it("schedules into the primary zone by default at a cpu allocation ratio of 2.0", () => {
        expect(conf).toMatch(
            /\[\[post-config\|\$NOVA_CONF\]\]\n\[DEFAULT\]\ncpu_allocation_ratio = 2.0\ndefault_schedule_zone = testaz1\n/,
        );
        expect(conf).toContain("query_placement_for_availability_zone = True");
        expect(conf).toMatch(
            /\[\[post-config\|\$CINDER_CONF\]\]\n\[DEFAULT\]\nstorage_availability_zone = testaz1/,
        );
        expect(conf).toContain("path_mtu = 1460");
    });

    it("raises Glance's per-project image total as CAPO does, for the kube image", () => {
        expect(conf).toContain("GLANCE_LIMIT_IMAGE_SIZE_TOTAL=20000\n");
    });

    it("adds OPENSTACK_ADDITIONAL_SERVICES", () => {
        const extra = renderCloudConfig(
            controllerCloudConfig(
                { ...SETTINGS, additionalServices: "horizon, s-proxy" },
                PASSWORDS,
                keys("controller"),
            ),
        );
        expect(extra).toMatch(/ENABLED_SERVICES=.*,c-vol,horizon,s-proxy\n/);
    });
});

describe("the controller's post-install", () => {
    const post = file("controller", "/opt/devstack-ci/post-install.sh");

    it("uploads the test images, puts its compute into the primary zone, and creates the flavors", () => {
        // CAPO's: cirros (the bastion) first, then the ubuntu kube image.
        const uploads = post.match(/upload_image\.sh \S+/g)!.map((u) => u.split("/").pop());
        expect(uploads).toEqual(["cirros-0.6.1-x86_64-disk.img", "ubuntu-2204-kube-v1.28.5.img"]);
        for (const image of SETTINGS.images) {
            expect(post).toContain(`upload_image.sh ${image}`);
        }
        expect(post).toContain("openstack aggregate create --zone testaz1 testaz1");
        expect(post).toContain(
            "openstack flavor create --ram 512 --disk 1 --vcpus 1 --public --id 1 m1.tiny",
        );
        expect(post).toContain("--ram 6144 --disk 10 --vcpus 4 --public --id 3 m1.medium");
        expect(post).toContain("openstack quota set --cores 32 demo");
    });

    it("NATs the floating range out of the controller, then starts register-worker", () => {
        const script = file("controller", "/opt/devstack-ci/devstack.sh");
        expect(script).toContain(
            'iptables -t nat -I POSTROUTING -o "$interface" -s 172.24.4.0/24 -j MASQUERADE',
        );
        expect(script).toContain("iptables -I FORWARD -s 172.24.4.0/24 -j ACCEPT");
        expect(script.trimEnd().endsWith("systemctl start --no-block register-worker")).toBe(true);
    });

    it("runs register-worker as a oneshot unit that polls every 60 s and fills the second zone", () => {
        const unit = file("controller", "/etc/systemd/system/register-worker.service");
        expect(unit).toMatch(/Type=oneshot\nUser=stack\n/);
        expect(unit).toContain("ExecStart=/opt/devstack-ci/register-worker.sh");
        const poll = file("controller", "/opt/devstack-ci/register-worker.sh");
        expect(WORKER_POLL_SECONDS).toBe(60);
        expect(poll).toContain("sleep 60");
        expect(poll).toContain("-ge 2 ]");
        expect(poll).toContain("nova-manage cell_v2 discover_hosts");
        expect(poll).toContain("openstack aggregate create --zone testaz2 testaz2");
        expect(poll).toContain('openstack aggregate add host testaz2 "$hypervisor"');
    });
});

describe("the worker's local.conf", () => {
    const conf = file("worker", "/opt/devstack-ci/local.conf");

    it("points every shared service at the controller and runs compute only", () => {
        expect(conf).toContain("HOST_IP=10.0.3.16\n");
        expect(conf).toContain("SERVICE_HOST=10.0.3.15\n");
        expect(conf).toContain("DATABASE_HOST=$SERVICE_HOST\n");
        expect(/^ENABLED_SERVICES=(.*)$/m.exec(conf)![1]).toBe(
            "n-cpu,placement-client,c-vol,neutron-agent",
        );
    });

    it("puts its volumes into the secondary zone", () => {
        expect(conf).toMatch(/storage_availability_zone = testaz2/);
    });

    it("shares the controller's service passwords", () => {
        const controller = file("controller", "/opt/devstack-ci/local.conf");
        for (const key of ["DATABASE_PASSWORD", "RABBIT_PASSWORD", "SERVICE_PASSWORD"]) {
            const value = (text: string) => new RegExp(`^${key}=(.*)$`, "m").exec(text)![1];
            expect(value(conf)).toBe(value(controller));
        }
    });
});
