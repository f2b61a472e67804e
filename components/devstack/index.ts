export * from "./clouds-yaml";
export * from "./devstack";
export * from "./settings";
export * from "./tunnel";
export * from "./zone-fallback";
