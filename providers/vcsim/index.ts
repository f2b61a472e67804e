export * from "./endpoint";
export * from "./envvar";
export * from "./inventory";
export * from "./model";
export * from "./ports";
export * from "./simulator";
export * from "./variables";
