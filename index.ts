import { ci } from "./stacks/ci";
import { loadSettings } from "./stacks/config";
import { local } from "./stacks/local";

// Every key is validated here, before any resource is registered; the compositions check
// the secret ones (kubeconfigs, keys) before registering theirs.
const settings = loadSettings();

export = settings.composition === "ci" ? ci(settings) : local(settings);
