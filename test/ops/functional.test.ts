import { describe, expect, it } from "vitest";
import { call, codes, dtype, f, i, list, none, shape, str, t, tuple } from "./harness.js";

const F = "torch.nn.functional.";

describe("functional layers", () => {
  it("takes conv output channels and kernel from the weight", () => {
    expect(shape(call(F + "conv2d", [t([2, 3, 32, 32]), t([16, 3, 5, 5])], { stride: i(2), padding: i(2) }).result)).toEqual([2, 16, 16, 16]);
    expect(shape(call(F + "conv2d", [t(["N", 4, "H", "W"]), t([8, 2, 3, 3])], { padding: str("same"), groups: i(2) }).result)).toEqual(["N", 8, "H", "W"]);
    expect(shape(call(F + "conv1d", [t([2, 4, 10]), t([6, 4, 3])], { padding: str("valid"), dilation: i(2) }).result)).toEqual([2, 6, 6]);
    expect(shape(call(F + "conv_transpose2d", [t([1, 8, 4, 4]), t([8, 3, 2, 2])], { stride: i(2), groups: i(2) }).result)).toEqual([1, 6, 8, 8]);
    const c = call(F + "conv2d", [t([2, 3, 8, 8]), t([16, 4, 3, 3])]);
    expect(codes(c)).toEqual(["in-channels"]);
    expect(c.reports[0].message).toContain("expects 4 input channels, but the input has 3");
  });

  it("pools with stride defaulting to the kernel, and ceil_mode", () => {
    expect(shape(call(F + "max_pool2d", [t([3, 6, 28, 28]), tuple([i(2), i(2)])]).result)).toEqual([3, 6, 14, 14]);
    expect(shape(call(F + "avg_pool2d", [t([1, 1, 7, 7]), i(2)], { ceil_mode: { kind: "bool", value: true } }).result)).toEqual([1, 1, 4, 4]);
    expect(shape(call(F + "max_pool2d", [t(["N", 8, "H", "W"]), i(2)]).result)).toEqual(["N", 8, "H // 2", "W // 2"]);
    const withIdx = call(F + "max_pool1d", [t([2, 3, 9]), i(3)], { return_indices: { kind: "bool", value: true } }).result;
    expect(withIdx.kind === "tuple" && withIdx.items.map(dtype)).toEqual(["float32", "int64"]);
    expect(shape(call(F + "adaptive_avg_pool2d", [t([2, 64, 6, 6]), tuple([i(1), none])]).result)).toEqual([2, 64, 1, 6]);
    expect(codes(call(F + "max_pool2d", [t([1, 1, 2, 2]), i(3)]))).toEqual(["output-size"]);
  });

  it("interpolates to floor(in * scale) or to a given size", () => {
    expect(shape(call(F + "interpolate", [t([2, 3, 5, 7])], { scale_factor: f(1.5) }).result)).toEqual([2, 3, 7, 10]);
    expect(shape(call(F + "interpolate", [t([2, 3, 5, 7])], { scale_factor: tuple([f(0.5), i(2)]) }).result)).toEqual([2, 3, 2, 14]);
    expect(shape(call(F + "interpolate", [t(["N", 8, "H", "W"])], { scale_factor: i(2), mode: str("bilinear") }).result)).toEqual(["N", 8, "2 * H", "2 * W"]);
    expect(shape(call(F + "interpolate", [t([1, 16, 6, 6])], { size: tuple([i(12), i(12)]) }).result)).toEqual([1, 16, 12, 12]);
    expect(codes(call(F + "interpolate", [t([2, 3, 4])], { scale_factor: i(2), mode: str("bilinear") }))).toEqual(["rank"]);
  });

  it("pads from the last dim backwards", () => {
    expect(shape(call(F + "pad", [t([2, 3, 5, 7]), tuple([i(1), i(2)])]).result)).toEqual([2, 3, 5, 10]);
    expect(shape(call(F + "pad", [t([2, 3, 5, 7]), list([i(1), i(1), i(2), i(-1)])]).result)).toEqual([2, 3, 6, 9]);
    expect(codes(call(F + "pad", [t([1, 3, 4]), tuple([i(4), i(0)])], { mode: str("reflect") }))).toEqual(["shape-mismatch"]);
  });

  it("checks norms, embeddings and one_hot", () => {
    expect(codes(call(F + "layer_norm", [t([2, 5, 16]), tuple([i(8)])]))).toEqual(["normalized-shape"]);
    expect(codes(call(F + "group_norm", [t([2, 6, 4, 4]), i(4)]))).toEqual(["num-features"]);
    expect(shape(call(F + "embedding", [t([2, 7], "int64"), t([100, 32])]).result)).toEqual([2, 7, 32]);
    expect(codes(call(F + "embedding", [t([2, 7]), t([100, 32])]))).toEqual(["embedding-index"]);
    expect(shape(call(F + "one_hot", [t([4], "int64")], { num_classes: i(10) }).result)).toEqual([4, 10]);
    expect(shape(call(F + "one_hot", [t([4], "int64")]).result)).toEqual([4, "num_classes"]);
  });

  it("rearranges with pixel_shuffle, unfold and fold", () => {
    expect(shape(call(F + "pixel_shuffle", [t([1, 16, 4, 4]), i(2)]).result)).toEqual([1, 4, 8, 8]);
    expect(shape(call(F + "pixel_unshuffle", [t([1, 4, 8, 8]), i(2)]).result)).toEqual([1, 16, 4, 4]);
    expect(shape(call(F + "unfold", [t([2, 3, 5, 7]), i(2)]).result)).toEqual([2, 12, 24]);
    expect(shape(call(F + "fold", [t([2, 12, 12]), tuple([i(4), i(5)]), i(2)]).result)).toEqual([2, 3, 4, 5]);
  });

  it("reduces losses to a scalar unless reduction='none'", () => {
    expect(shape(call(F + "cross_entropy", [t([4, 5]), t([4], "int64")]).result)).toEqual([]);
    expect(shape(call(F + "cross_entropy", [t([4, 5]), t([4], "int64")], { reduction: str("none") }).result)).toEqual([4]);
    expect(shape(call(F + "mse_loss", [t([4, 5]), t([4, 5])], { reduction: str("none") }).result)).toEqual([4, 5]);
  });
});
