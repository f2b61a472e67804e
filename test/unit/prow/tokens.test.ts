/**
 * When Prow's service-account tokens are renewed: the pure rule, with `now` given, and the
 * reasons the token provider's diff gives the engine.
 */
import { renewalDue, renewalPoint } from "../../../providers/tokens/renewal";
import {
    replacementReasons,
    TokenInputs,
    TokenOutputs,
} from "../../../providers/tokens/service-account-token";

const HOUR = 3600 * 1000;
const ISSUED = Date.parse("2031-05-01T00:00:00Z");
const at = (hours: number) => new Date(ISSUED + hours * HOUR);

/** A token minted at ISSUED that lives `hours`. */
const lifetime = (hours: number) => ({
    issuedAt: at(0).toISOString(),
    expiresAt: at(hours).toISOString(),
});

describe("renewalDue", () => {
    it("is due once half of a 72 h token's life has passed, not before", () => {
        const token = lifetime(72);
        expect(renewalPoint(token).toISOString()).toBe(at(36).toISOString());
        expect(renewalDue(token, at(0))).toBe(false);
        expect(renewalDue(token, at(35.99))).toBe(false);
        expect(renewalDue(token, at(36))).toBe(true);
        expect(renewalDue(token, at(71))).toBe(true);
        expect(renewalDue(token, at(100))).toBe(true); // expired
    });

    it("goes by the lifetime the API server granted, which may be shorter than asked", () => {
        // Asked for 72 h, granted 24 h (the server's --service-account-max-token-expiration).
        const granted = lifetime(24);
        expect(renewalDue(granted, at(11))).toBe(false);
        expect(renewalDue(granted, at(12))).toBe(true);
    });

    it("is due when the recorded lifetime does not parse", () => {
        expect(renewalDue({ issuedAt: "", expiresAt: at(1).toISOString() }, at(0))).toBe(true);
        expect(renewalDue({ issuedAt: at(0).toISOString(), expiresAt: "never" }, at(0))).toBe(true);
    });
});

describe("replacementReasons, the token provider's diff", () => {
    const inputs: TokenInputs = {
        kubeconfig: "apiVersion: v1\nkind: Config\n",
        namespace: "kubevirt-prow-jobs",
        serviceAccount: "prow-workloads-cluster-automation",
        ttlHours: 72,
    };
    const minted: TokenOutputs = {
        ...inputs,
        token: "t",
        ...lifetime(72),
        renewAfter: at(36).toISOString(),
        renewalDue: false,
    };

    it("keeps a token with more than half its life left", () => {
        expect(replacementReasons(minted, inputs, at(1))).toEqual([]);
    });

    it("replaces a token past half its life, for expiresAt", () => {
        expect(replacementReasons(minted, inputs, at(36))).toEqual(["expiresAt"]);
    });

    it("replaces a token whose lifetime, cluster, namespace or service account changed", () => {
        expect(replacementReasons(minted, { ...inputs, ttlHours: 24 }, at(1))).toEqual([
            "ttlHours",
        ]);
        expect(
            replacementReasons(minted, { ...inputs, kubeconfig: "other", namespace: "x" }, at(1)),
        ).toEqual(["kubeconfig", "namespace"]);
        expect(replacementReasons(minted, { ...inputs, serviceAccount: "sa" }, at(1))).toEqual([
            "serviceAccount",
        ]);
    });
});
