import { describe, expect, it } from "vitest";
import { dimAdd, dimCeilDiv, dimCompareEq, dimDivExact, dimEquals, dimEvaluate, dimFloorDiv, dimGreater, dimIsDataDependent, dimMul, dimSub, dimToString, SymDim } from "../src/shapes/dim.js";
import { convOutputSize } from "../src/shapes/shape.js";

const H = SymDim.variable("H");
const N = SymDim.variable("N");

describe("symbolic dims", () => {
  it("simplifies the conv formula with stride 1 and same padding back to H", () => {
    expect(dimToString(convOutputSize(H, 3, 1, 1))).toBe("H");
  });
  it("halves with a 2x2 pool and folds nested floor divisions", () => {
    const once = convOutputSize(H, 2, 2, 0);
    expect(dimToString(once)).toBe("H // 2");
    expect(dimToString(convOutputSize(once, 2, 2, 0))).toBe("H // 4");
  });
  it("writes a stride-2 conv as a ceiling", () => {
    expect(dimToString(convOutputSize(H, 3, 2, 1))).toBe("(H + 1) // 2");
  });
  it("keeps products and sums in a normal form", () => {
    const a = dimMul(dimMul(8, dimFloorDiv(H, 4)), N);
    const b = dimMul(N, dimMul(dimFloorDiv(dimFloorDiv(H, 2), 2), 8));
    expect(dimEquals(a, b)).toBe(true);
    expect(dimToString(a)).toBe("8 * N * (H // 4)");
    expect(dimEquals(dimSub(dimAdd(H, 3), 3), H)).toBe(true);
  });
  it("divides exactly only when it can", () => {
    expect(dimToString(dimDivExact(dimMul(N, 512), 512)!)).toBe("N");
    expect(dimDivExact(dimMul(N, 392), 512)).toBeUndefined();
    expect(dimDivExact(12, 5)).toBeUndefined();
  });
  it("evaluates for concrete sizes, floor and ceiling included", () => {
    const env = new Map([["H", 7], ["N", 2]]);
    expect(dimEvaluate(convOutputSize(H, 3, 2, 1), env)).toBe(4);
    expect(dimEvaluate(dimCeilDiv(H, 2), env)).toBe(4);
    expect(dimEvaluate(dimFloorDiv(dimSub(H, 10), 3), env)).toBe(-1);
  });
  it("computes concrete sizes like PyTorch", () => {
    expect(convOutputSize(32, 3, 1, 1)).toBe(32);
    expect(convOutputSize(7, 2, 2, 0, 1, true)).toBe(4);
    expect(convOutputSize(28, 5, 1, 0)).toBe(24);
  });
});

describe("data-dependent sizes", () => {
  it("are fresh each time, equal only to themselves, and marked as data-dependent", () => {
    const a = SymDim.dataDependent("nms");
    const b = SymDim.dataDependent("nms");
    expect(dimToString(a)).toMatch(/^nms_\d+$/);
    expect(dimEquals(a, b)).toBe(false);
    expect(dimIsDataDependent(dimAdd(a, b))).toBe(true);
    expect(dimIsDataDependent(dimFloorDiv(dimMul(a, 3), 2))).toBe(true);
    expect(dimIsDataDependent(SymDim.variable("H"))).toBe(false);
  });
  it("are read as nonempty in comparisons, as input sizes are read as positive", () => {
    const kept = SymDim.dataDependent("nonzero");
    expect(dimGreater(kept, 0)).toBe(true);
    expect(dimCompareEq(dimMul(kept, 4), 0)).toBe(false);
    expect(dimGreater(kept, 4000)).toBeUndefined();
    expect(dimGreater(0, dimAdd(kept, SymDim.variable("N")))).toBe(false);
    // a floor division can be 0: no sign is assumed for it
    expect(dimGreater(dimFloorDiv(SymDim.variable("H"), 4), 0)).toBeUndefined();
  });
  it("divide a sum by a sum when one is a multiple of the other", () => {
    const sum = dimAdd(SymDim.dataDependent("nms"), SymDim.dataDependent("nms"));
    expect(dimDivExact(dimMul(sum, 364), sum)).toBe(364);
    expect(dimDivExact(dimAdd(dimMul(sum, 364), 1), sum)).toBeUndefined();
  });
});
