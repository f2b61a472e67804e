/** The configuration of a ci run that builds the DevStack alone, keys without the namespace. */
export const CI_DEVSTACK_CONFIG: Record<string, string> = {
    composition: "ci",
    ciEnvironments: '["devstack"]',
    gcpProject: "capo-boskos-17",
    gcpProjectLeased: "true",
    gcpWorkerZone: "us-east4-b",
};
