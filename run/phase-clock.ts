/** The wall time of each phase of a run, for its log and $ARTIFACTS/run-phases.json. */
export class PhaseClock {
    readonly phases: { phase: string; seconds: number; ok: boolean }[] = [];

    constructor(private readonly now: () => number = Date.now) {}

    async time<T>(phase: string, body: () => Promise<T>): Promise<T> {
        const start = this.now();
        const record = (ok: boolean) =>
            this.phases.push({ phase, seconds: (this.now() - start) / 1000, ok });
        try {
            const result = await body();
            record(true);
            return result;
        } catch (err) {
            record(false);
            throw err;
        }
    }

    json(): string {
        return `${JSON.stringify(this.phases, null, 2)}\n`;
    }

    table(): string {
        const rows = this.phases.map(
            (p) =>
                `  ${p.phase.padEnd(34)} ${p.seconds.toFixed(1).padStart(8)} s${p.ok ? "" : "  failed"}`,
        );
        return `\nwall time by phase:\n${rows.join("\n")}\n`;
    }
}
