export * from "./address-pool";
export * from "./connection";
export * from "./content-library";
export * from "./folder";
export * from "./library-item";
export * from "./resource-pool";
export * from "./virtual-machine";
