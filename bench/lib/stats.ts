/** Result rows and the statistics behind them: median, min and max of the measured runs. */

export interface Goal {
    readonly op: "<=" | "<" | ">=";
    readonly value: number;
}

export interface Row {
    readonly benchmark: string;
    readonly name: string;
    /** Median of the runs; null when the figure could not be measured (see note). */
    readonly median: number | null;
    readonly min: number | null;
    readonly max: number | null;
    readonly unit: string;
    readonly goal?: Goal;
    /** "yes"/"no" against the goal on the median; "-" for rows without a goal. */
    readonly met: "yes" | "no" | "-";
    /** Every measured value, in run order. */
    readonly runs: readonly number[];
    readonly note?: string;
}

export function median(values: readonly number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function meets(value: number, goal: Goal): boolean {
    return goal.op === "<=" ? value <= goal.value : goal.op === "<" ? value < goal.value : value >= goal.value;
}

/** A row from measured values; with no values the figure is missing and a goal counts as missed. */
export function row(
    benchmark: string,
    name: string,
    values: readonly number[],
    unit: string,
    options: { goal?: Goal; note?: string } = {},
): Row {
    const finite = values.filter((value) => Number.isFinite(value));
    const mid = finite.length > 0 ? median(finite) : null;
    return {
        benchmark,
        name,
        median: mid,
        min: finite.length > 0 ? Math.min(...finite) : null,
        max: finite.length > 0 ? Math.max(...finite) : null,
        unit,
        goal: options.goal,
        met: options.goal === undefined ? "-" : mid !== null && meets(mid, options.goal) ? "yes" : "no",
        runs: finite,
        note: options.note,
    };
}

/** Element-wise a[i] / b[i] over runs measured in the same rounds (interleaved pairs). */
export function ratios(numerators: readonly number[], denominators: readonly number[]): number[] {
    const count = Math.min(numerators.length, denominators.length);
    return Array.from({ length: count }, (_, index) => numerators[index] / denominators[index]);
}

export function goalText(goal: Goal | undefined): string {
    if (!goal) {
        return "-";
    }
    const op = goal.op === "<=" ? "≤" : goal.op === ">=" ? "≥" : "<";
    return `${op} ${goal.value.toLocaleString("en-US")}`;
}

/** A number with about three significant digits, thousands separated. */
export function formatNumber(value: number | null): string {
    if (value === null) {
        return "n/a";
    }
    const magnitude = Math.abs(value);
    const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3;
    return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
