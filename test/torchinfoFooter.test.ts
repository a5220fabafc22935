// The footer's numbers formatted as torchinfo's format_output_num (Python's f"{x:,.2f}").
import { describe, expect, it } from "vitest";
import { fixed2, torchinfoNumber } from "../src/report/torchinfoFooter.js";
import { dimMul, SymDim } from "../src/shapes/dim.js";

describe("torchinfo's number format", () => {
  it("rounds an exact tie to even, as Python does (JavaScript's toFixed rounds it up)", () => {
    expect(fixed2(772.125)).toBe("772.12");
    expect(fixed2(772.375)).toBe("772.38");
    expect(fixed2(0.625)).toBe("0.62");
    expect(fixed2(772.194)).toBe("772.19");
  });
  it("picks the unit by size and drops the decimals of a whole number", () => {
    expect(torchinfoNumber(952, true)).toBe(": 952");
    expect(torchinfoNumber(12344, true)).toBe(" (kB): 12.34");
    expect(torchinfoNumber(2_000_000, false)).toBe(" (M): 2");
    expect(torchinfoNumber(1_814_083_944, false)).toBe(" (G): 1.81");
    expect(torchinfoNumber(3_456_789_000_000_000, true)).toBe(" (TB): 3,456.79");
    expect(torchinfoNumber(undefined, true)).toBe(": ?");
  });
  it("writes a symbolic figure as its polynomial", () => {
    expect(torchinfoNumber(dimMul(772194, SymDim.variable("N")), false)).toBe(": 772194 * N");
  });
});
