/** The govc runner moved to providers/govc, shared by the vcsim and vsphere providers. */
export * from "../govc/runner";
