// The lines torchinfo prints under its table for compute and memory, formatted as its
// ModelStatistics.format_output_num does: units chosen by size (k, M, G, T at 1e3,
// 1e6, 1e9, 1e12), a whole number without decimals, otherwise two decimals.
import type { Count, TorchinfoFigures } from "../compute/torchinfo.js";
import { dimToString } from "../shapes/dim.js";
import { formatCount } from "./table.js";

const UNITS: readonly [number, string][] = [
  [1e12, "T"],
  [1e9, "G"],
  [1e6, "M"],
  [1e3, "k"],
];

/**
 * Python's f"{x:.2f}": the exact binary value rounded, a tie to even. JavaScript's
 * toFixed breaks a tie upwards; a tie is exact only when x is an odd multiple of 1/8.
 */
export function fixed2(x: number): string {
  const eighths = x * 8;
  if (Number.isInteger(eighths) && eighths % 2 !== 0) {
    const lower = Math.floor(x * 100);
    const cents = lower % 2 === 0 ? lower : lower + 1;
    return (cents / 100).toFixed(2);
  }
  return x.toFixed(2);
}

/** " (MB): 39.75", " (k): 772.19", ": 952" */
export function torchinfoNumber(count: Count, isBytes: boolean): string {
  if (count === undefined) return ": ?";
  if (typeof count !== "number") return `: ${dimToString(count)}`;
  const unit = UNITS.find(([factor]) => count >= factor);
  if (!unit) return `: ${formatCount(count)}`;
  const converted = count / unit[0];
  const text = Number.isInteger(converted) ? formatCount(converted) : withCommas(fixed2(converted));
  return ` (${unit[1]}${isBytes ? "B" : ""}): ${text}`;
}

function withCommas(fixed: string): string {
  const [whole, fraction] = fixed.split(".");
  return `${formatCount(Number(whole))}.${fraction}`;
}

/** torchinfo's mult-adds line, then (after a rule) its four size lines. */
export function torchinfoFooter(figures: TorchinfoFigures): { multAdds: string; sizes: string[] } {
  return {
    multAdds: `Total mult-adds${torchinfoNumber(figures.multAdds, false)}`,
    sizes: [
      `Input size${torchinfoNumber(figures.inputBytes, true)}`,
      `Forward/backward pass size${torchinfoNumber(figures.forwardBackwardBytes, true)}`,
      `Params size${torchinfoNumber(figures.paramsBytes, true)}`,
      `Estimated Total Size${torchinfoNumber(figures.estimatedTotalBytes, true)}`,
    ],
  };
}
