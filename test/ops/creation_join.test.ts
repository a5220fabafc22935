import { describe, expect, it } from "vitest";
import { call, codes, dtype, f, i, list, shape, t, tuple } from "./harness.js";

const shapes = (v: ReturnType<typeof call>["result"]) => (v.kind === "tuple" ? v.items.map(shape) : v.kind);

describe("creation", () => {
  it("takes sizes as varargs or one sequence, symbolic too", () => {
    expect(shape(call("torch.zeros", [i(1), i(1), i(3)]).result)).toEqual([1, 1, 3]);
    expect(shape(call("torch.ones", [tuple([i("N"), i(4)])]).result)).toEqual(["N", 4]);
    expect(shape(call("torch.zeros", [], { size: tuple([i(2), i(3)]) }).result)).toEqual([2, 3]);
    expect(shape(call("Tensor.new_zeros", [t(["N", 8], "float16"), i("N"), i(4)]).result)).toEqual(["N", 4]);
    expect(dtype(call("Tensor.new_zeros", [t(["N", 8], "float16"), i(2)]).result)).toBe("float16");
    expect(codes(call("torch.zeros", [i(2), i(-3)]))).toEqual(["shape-mismatch"]);
  });

  it("infers arange's length and dtype", () => {
    expect([shape(call("torch.arange", [i(5)]).result), dtype(call("torch.arange", [i(5)]).result)]).toEqual([[5], "int64"]);
    expect(shape(call("torch.arange", [i(0), i(16), i(2)]).result)).toEqual([8]);
    expect(shape(call("torch.arange", [i(5), i(0), i(-2)]).result)).toEqual([3]);
    expect([shape(call("torch.arange", [i(0), i(1), f(0.3)]).result), dtype(call("torch.arange", [i(0), i(1), f(0.3)]).result)]).toEqual([[4], "float32"]);
    expect(shape(call("torch.arange", [i("T")]).result)).toEqual(["T"]);
  });

  it("reads torch.tensor's shape and dtype from nested lists", () => {
    const c = call("torch.tensor", [list([list([i(1), i(2)]), list([i(3), f(4)])])]).result;
    expect([shape(c), dtype(c)]).toEqual([[2, 2], "float32"]);
    expect(dtype(call("torch.tensor", [list([i(1), i(2)])]).result)).toBe("int64");
    expect(shape(call("torch.tensor", [f(3)]).result)).toEqual([]);
    expect(dtype(call("torch.full", [tuple([i(2)]), i(1)]).result)).toBe("int64");
    expect(shape(call("torch.randint", [i(10), tuple([i(2), i(3)])]).result)).toEqual([2, 3]);
  });
});

describe("join and split", () => {
  it("concatenates along a dim and reports other dims that differ", () => {
    expect(shape(call("torch.cat", [list([t([2, 3, 4]), t([2, 3, 4])])], { dim: i(-1) }).result)).toEqual([2, 3, 8]);
    expect(shape(call("torch.cat", [list([t(["N", 8, "H", "W"]), t(["N", 16, "H", "W"])]), i(1)]).result)).toEqual(["N", 24, "H", "W"]);
    const c = call("torch.cat", [list([t([2, 3]), t([3, 3])]), i(1)]);
    expect(codes(c)).toEqual(["cat-shape"]);
    expect(c.reports[0].message).toContain("has size 3 in dimension 0 where tensor 0 has 2");
    expect(shape(call("torch.stack", [tuple([t([2, 2, 4]), t([2, 2, 4]), t([2, 2, 4])])]).result)).toEqual([3, 2, 2, 4]);
    expect(codes(call("torch.stack", [list([t([2]), t([3])])]))).toEqual(["cat-shape"]);
    expect(shape(call("torch.hstack", [list([t([2, 3]), t([2, 1])])]).result)).toEqual([2, 4]);
    expect(shape(call("torch.vstack", [list([t([3]), t([3])])]).result)).toEqual([2, 3]);
  });

  it("splits by size, by sections, into chunks", () => {
    expect(shapes(call("torch.split", [t([2, 6, 4]), i(3)], { dim: i(1) }).result)).toEqual([[2, 3, 4], [2, 3, 4]]);
    expect(shapes(call("Tensor.split", [t([10]), i(4)]).result)).toEqual([[4], [4], [2]]);
    expect(shapes(call("Tensor.split", [t([2, 6, 4]), list([i(2), i(4)])], { dim: i(1) }).result)).toEqual([[2, 2, 4], [2, 4, 4]]);
    expect(codes(call("Tensor.split", [t([2, 6, 4]), list([i(2), i(3)])], { dim: i(1) }))).toEqual(["shape-mismatch"]);
    expect(shapes(call("Tensor.chunk", [t([10]), i(4)]).result)).toEqual([[3], [3], [3], [1]]);
    expect(shapes(call("Tensor.chunk", [t([5]), i(4)]).result)).toEqual([[2], [2], [1]]);
    expect(shapes(call("Tensor.chunk", [t(["N", 12]), i(3)], { dim: i(1) }).result)).toEqual([["N", 4], ["N", 4], ["N", 4]]);
    // a symbolic dim the count may not divide: the number of pieces is unknown
    expect(shapes(call("Tensor.chunk", [t(["N", "C"]), i(3)], { dim: i(1) }).result)).toBe("unknown");
    expect(shapes(call("torch.tensor_split", [t([10]), i(3)]).result)).toEqual([[4], [3], [3]]);
  });
});
