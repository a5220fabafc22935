// Each matrix product's flops, 2 per multiply-add (torch.utils.flop_counter's
// convention); the whole-model figures are checked against PyTorch's profiler in
// goldens.test.ts and torchvision.test.ts.
import { describe, expect, it } from "vitest";
import { dimToString } from "../../src/shapes/dim.js";
import { call, i, str, t } from "./harness.js";

const flops = (name: string, ...args: Parameters<typeof call>[1]) => call(name, args).flops.map((f) => (f === undefined ? "unknown" : dimToString(f)));

describe("flops of the products", () => {
  it("counts 2 × result elements × the shared axis for matmul, @, mm, bmm and addmm", () => {
    expect(flops("torch.matmul", t([2, 5, 8]), t([2, 8, 3]))).toEqual(["480"]);
    expect(flops("Tensor.__matmul__", t(["N", 5, 8]), t([8, 3]))).toEqual(["240 * N"]);
    expect(flops("torch.bmm", t([2, 5, 5]), t([2, 5, 3]))).toEqual(["300"]);
    expect(flops("torch.addmm", t([3]), t([2, 4]), t([4, 3]))).toEqual(["48"]);
    expect(flops("torch.nn.functional.linear", t([10, 8]), t([4, 8]))).toEqual(["640"]);
  });
  it("counts an einsum contraction as its bmm, an outer product as nothing", () => {
    expect(flops("torch.einsum", str("bik,bkj->bij"), t([2, 5, 8]), t([2, 8, 3]))).toEqual(["480"]);
    expect(flops("torch.einsum", str("bi,bj->bij"), t([2, 8]), t([2, 8]))).toEqual(["0"]);
    expect(flops("torch.einsum", str("ii->i"), t([4, 4]))).toEqual(["0"]);
  });
  it("counts a functional convolution by its weight and output positions", () => {
    // 2 × batch 2 × 6·6 positions × 8·3·3·3 weight elements
    expect(flops("torch.nn.functional.conv2d", t([2, 3, 8, 8]), t([8, 3, 3, 3]))).toEqual(["31104"]);
    // transposed: the input's positions, weight [in, out / groups, k]
    const transposed = call("torch.nn.functional.conv_transpose1d", [t([1, 4, 10]), t([4, 2, 3])], { stride: i(2) }).flops;
    expect(transposed.map((f) => (f === undefined ? "unknown" : dimToString(f)))).toEqual(["480"]);
  });
  it("counts attention's two products and bilinear's two contractions", () => {
    // q·kᵀ 2·(2·4)·7·9·16 and weights·v 2·(2·4)·7·9·5
    expect(flops("torch.nn.functional.scaled_dot_product_attention", t([2, 4, 7, 16]), t([2, 4, 9, 16]), t([2, 4, 9, 5]))).toEqual([String(2 * 8 * 7 * 9 * 16 + 2 * 8 * 7 * 9 * 5)]);
    expect(flops("torch.nn.functional.bilinear", t([6, 6]), t([6, 6]), t([2, 6, 6]))).toEqual(["1008"]);
  });
});
