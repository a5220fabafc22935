import { describe, expect, it } from "vitest";
import { call, f as float, i, shape, t } from "./harness.js";
import { dimIsDataDependent } from "../../src/shapes/dim.js";
import type { Value } from "../../src/eval/values.js";

describe("torch.ops.torchvision", () => {
  it("nms keeps a data-dependent number of boxes, a fresh one per call", () => {
    const first = call("torch.ops.torchvision.nms", [t([300, 4]), t([300]), float(0.7)]).result;
    const second = call("torch.ops.torchvision.nms", [t([300, 4]), t([300]), float(0.7)]).result;
    expect(first.kind === "tensor" && first.dtype).toBe("int64");
    const [a] = shape(first) as [string];
    const [b] = shape(second) as [string];
    expect(a).toMatch(/^nms_\d+$/);
    expect(b).not.toBe(a);
    expect(first.kind === "tensor" && dimIsDataDependent(first.shape![0])).toBe(true);
  });
  it("roi_align pools each box row to [K, C, h, w]", () => {
    const r = call("torch.ops.torchvision.roi_align", [t([2, 256, 50, 50]), t(["K", 5]), float(0.25), i(7), i(7), i(2), float(0)]).result;
    expect(shape(r)).toEqual(["K", 256, 7, 7]);
  });
  it("roi_pool and the position-sensitive poolings return the pooled map and an index map", () => {
    const shapes = (v: Value) => (v.kind === "tuple" ? v.items.map(shape) : "not a tuple");
    expect(shapes(call("torch.ops.torchvision.roi_pool", [t([1, 8, 20, 20]), t([5, 5]), float(1), i(3), i(3)]).result)).toEqual([[5, 8, 3, 3], [5, 8, 3, 3]]);
    expect(shapes(call("torch.ops.torchvision.ps_roi_align", [t([1, 18, 20, 20]), t([5, 5]), float(1), i(3), i(3), i(2)]).result)).toEqual([[5, 2, 3, 3], [5, 2, 3, 3]]);
  });
});
