/** The subset of cloud-config (cloud-init's user data) the DevStack machines use. */
export interface CloudConfig {
    users?: CloudUser[];
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

/** Credentials DevStack configures its services with (generated per run, secrets). */
export interface DevStackPasswords {
    database: string;
    rabbit: string;
    admin: string;
    service: string;
}
