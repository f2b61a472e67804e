export * from "./control-plane";
export * from "./encrypted-kubeconfigs";
export * from "./external-provider";
export * from "./jobs";
export * from "./kubeconfig";
export * from "./registration";
export * from "./settings";
