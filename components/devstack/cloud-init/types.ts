/** The subset of cloud-config (cloud-init's user data) the DevStack machines use. */
export interface CloudConfig {
    users?: CloudUser[];
    /** The machine's SSH host key, as cloud-init's cc_ssh writes it; the image's keys are deleted. */
    ssh_keys?: { ed25519_private: string; ed25519_public: string };
    ssh_deletekeys?: boolean;
    packages?: string[];
    package_upgrade?: boolean;
    write_files?: WriteFile[];
    runcmd?: string[];
    final_message?: string;
}

export interface CloudUser {
    name: string;
    lock_passwd: boolean;
    sudo: string;
    shell: string;
    ssh_authorized_keys: string[];
}

export interface WriteFile {
    path: string;
    /** Octal, as a string ("0644"). */
    permissions: string;
    content: string;
}

/** The keys a machine is made with: the CI login's, and its own host key. */
export interface MachineKeys {
    /** The login's `authorized_keys` line. */
    login: string;
    /** The machine's Ed25519 host key (the private half a secret), pinned in the stack's known_hosts. */
    host: { publicKey: string; privateKey: string };
}

/** Credentials DevStack configures its services with (generated per run, secrets). */
export interface DevStackPasswords {
    database: string;
    rabbit: string;
    admin: string;
    service: string;
}
