import { describe, expect, it } from "vitest";
import { call, codes, shape, str, t } from "./harness.js";

describe("matmul", () => {
  it("follows the 1-D, 2-D and batched rules", () => {
    expect(shape(call("torch.matmul", [t([3]), t([3])]).result)).toEqual([]);
    expect(shape(call("torch.matmul", [t([5, 3]), t([3, 2])]).result)).toEqual([5, 2]);
    expect(shape(call("torch.matmul", [t([3]), t([2, 3, 4])]).result)).toEqual([2, 4]);
    expect(shape(call("torch.matmul", [t([2, 5, 3]), t([3])]).result)).toEqual([2, 5]);
    expect(shape(call("torch.matmul", [t([2, 1, 5, 3]), t([4, 3, 2])]).result)).toEqual([2, 4, 5, 2]);
    expect(shape(call("Tensor.__matmul__", [t(["B", "H", "T", 8]), t(["B", "H", 8, "T"])]).result)).toEqual(["B", "H", "T", "T"]);
    // a @ b with only b a tensor arrives as b.__rmatmul__(a)
    expect(shape(call("Tensor.__rmatmul__", [t([3, 2]), t([5, 3])]).result)).toEqual([5, 2]);
  });

  it("reports inner dimensions that differ, with both shapes", () => {
    const c = call("torch.matmul", [t([2, 5, 8]), t([2, 3, 8])]);
    expect(codes(c)).toEqual(["matmul-shape"]);
    expect(c.reports[0].message).toContain("[2, 5, 8]");
    expect(c.reports[0].message).toContain("(5x8) by [2, 3, 8] (3x8)");
    expect(codes(call("torch.matmul", [t([2, 5, 8]), t([3, 8, 2])]))).toEqual(["broadcast"]);
  });

  it("checks the ranks of mm and bmm", () => {
    expect(shape(call("torch.bmm", [t([2, 5, 5]), t([2, 5, 3])]).result)).toEqual([2, 5, 3]);
    expect(codes(call("torch.bmm", [t([5, 5]), t([2, 5, 3])]))).toEqual(["rank"]);
    expect(codes(call("torch.mm", [t([4, 5]), t([4, 5])]))).toEqual(["matmul-shape"]);
    expect(shape(call("torch.addmm", [t([3]), t([2, 4]), t([4, 3])]).result)).toEqual([2, 3]);
  });

  it("takes F.linear's output size from the weight and checks in-features", () => {
    expect(shape(call("torch.nn.functional.linear", [t(["N", 7, 16]), t([4, 16])]).result)).toEqual(["N", 7, 4]);
    const c = call("torch.nn.functional.linear", [t([2, 10]), t([4, 16]), t([4])]);
    expect(codes(c)).toEqual(["linear-in-features"]);
    expect(c.reports[0].message).toContain("16");
    expect(c.reports[0].message).toContain("10");
  });
});

describe("einsum", () => {
  it("gives the explicit output's sizes", () => {
    expect(shape(call("torch.einsum", [str("bik,bkj->bij"), t([2, 5, 8]), t([2, 8, 3])]).result)).toEqual([2, 5, 3]);
    expect(shape(call("torch.einsum", [str("bi,bj->bij"), t([2, 8]), t([2, 8])]).result)).toEqual([2, 8, 8]);
    expect(shape(call("torch.einsum", [str("b h i d, b h j d -> b h i j"), t(["B", 4, "T", 8]), t(["B", 4, "S", 8])]).result)).toEqual(["B", 4, "T", "S"]);
  });

  it("orders an implicit output alphabetically, ellipsis first", () => {
    expect(shape(call("torch.einsum", [str("bi,bj"), t([2, 3]), t([2, 5])]).result)).toEqual([3, 5]);
    expect(shape(call("torch.einsum", [str("...ij,jk"), t([2, 3, 4]), t([4, 5])]).result)).toEqual([2, 3, 5]);
    expect(shape(call("torch.einsum", [str("ji"), t([2, 3])]).result)).toEqual([3, 2]);
  });

  it("takes operands as one list too, and broadcasts size-1 letters", () => {
    expect(shape(call("torch.einsum", [str("ij,kj->ik"), { kind: "list", items: [t([1, 3]), t([4, 1])] }]).result)).toEqual([1, 4]);
  });

  it("reports mismatched letters and ranks", () => {
    expect(codes(call("torch.einsum", [str("ij,jk->ik"), t([2, 3]), t([4, 5])]))).toEqual(["matmul-shape"]);
    expect(codes(call("torch.einsum", [str("ijk,jk->i"), t([2, 3]), t([3, 5])]))).toEqual(["rank"]);
  });
});
