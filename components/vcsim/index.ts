/**
 * CAPV's vcsim controller: this project's local composition of it (VcsimEnvironment, the top
 * component) and the manifests of the real controller (its Deployment and CRDs, for `ci`).
 */
export * from "./environment";
export * from "./controller-deployment";
export * from "./crds";
