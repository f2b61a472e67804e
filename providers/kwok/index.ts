export * from "./failure";
export * from "./local-cluster";
export * from "./nodes";
