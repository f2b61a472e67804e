export * from "./bootstrap-cluster";
export * from "./ci-job";
export * from "./jump-host";
export * from "./names";
export * from "./secret-transfer";
export * from "./outer-secret";
