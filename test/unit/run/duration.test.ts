import { formatDuration, parseDuration } from "../../../run/duration";
import { ACQUIRE_TIMEOUT_MS, acquireTimeoutMs } from "../../../run/lease";

describe("a duration of the run's environment", () => {
    it("is a Go duration, as Boskos's flags take one, or a number of seconds", () => {
        expect(parseDuration("30m", "X")).toBe(30 * 60_000);
        expect(parseDuration("1h30m", "X")).toBe(90 * 60_000);
        expect(parseDuration("1.5h", "X")).toBe(90 * 60_000);
        expect(parseDuration("90s", "X")).toBe(90_000);
        expect(parseDuration("2m500ms", "X")).toBe(120_500);
        expect(parseDuration("1800", "X")).toBe(1_800_000);
        expect(parseDuration("0", "X")).toBe(0);
    });

    it("is refused, named, when it is neither", () => {
        for (const bad of ["30 minutes", "-5m", "m", "1d", "", "5m-"]) {
            expect(() => parseDuration(bad, "BOSKOS_ACQUIRE_TIMEOUT")).toThrow(
                `BOSKOS_ACQUIRE_TIMEOUT=${JSON.stringify(bad)}: must be a Go duration`,
            );
        }
    });

    it("prints as Go prints one", () => {
        expect(formatDuration(30 * 60_000)).toBe("30m0s");
        expect(formatDuration(90 * 60_000 + 5000)).toBe("1h30m5s");
        expect(formatDuration(45_000)).toBe("45s");
    });

    it("waits 30 minutes for a lease unless BOSKOS_ACQUIRE_TIMEOUT says otherwise", () => {
        expect(acquireTimeoutMs({})).toBe(ACQUIRE_TIMEOUT_MS);
        expect(ACQUIRE_TIMEOUT_MS).toBe(30 * 60_000);
        expect(acquireTimeoutMs({ BOSKOS_ACQUIRE_TIMEOUT: "2m" })).toBe(120_000);
    });
});
