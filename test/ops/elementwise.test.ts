import { describe, expect, it } from "vitest";
import { call, codes, dtype, f, i, shape, str, t } from "./harness.js";

describe("broadcasting", () => {
  it("broadcasts shapes of different ranks", () => {
    expect(shape(call("Tensor.__mul__", [t([3, 10, 1]), t([3, 1, 10])]).result)).toEqual([3, 10, 10]);
    expect(shape(call("Tensor.__add__", [t([1, 1, 3]), t([3])]).result)).toEqual([1, 1, 3]);
    expect(shape(call("Tensor.__add__", [t(["N", "C", "H", "W"]), t(["N", "C", 1, 1])]).result)).toEqual(["N", "C", "H", "W"]);
  });

  it("reports shapes that cannot broadcast, naming both", () => {
    const c = call("Tensor.__add__", [t([2, 3]), t([4, 3])]);
    expect(codes(c)).toEqual(["broadcast"]);
    expect(c.reports[0].message).toContain("[2, 3]");
    expect(c.reports[0].message).toContain("[4, 3]");
    expect(c.reports[0].message).toContain("dimension 0");
    // the analysis goes on with the first operand's shape
    expect(shape(c.result)).toEqual([2, 3]);
  });

  it("checks that an in-place result keeps the tensor's shape", () => {
    expect(codes(call("Tensor.add_", [t([2, 3]), t([4, 2, 3])]))).toEqual(["broadcast"]);
    expect(codes(call("Tensor.__iadd__", [t([2, 3]), t([3])]))).toEqual([]);
    expect(codes(call("Tensor.masked_fill_", [t([2, 3]), t([2, 3], "bool"), f(0)]))).toEqual([]);
  });

  it("broadcasts where and clamp bounds with the input", () => {
    expect(shape(call("torch.where", [t([2, 3], "bool"), t([3]), f(1)]).result)).toEqual([2, 3]);
    expect(shape(call("torch.clamp", [t([2, 3])], { min: t([4, 1, 3]) }).result)).toEqual([4, 2, 3]);
    expect(shape(call("Tensor.masked_fill", [t([3]), t([2, 3], "bool"), f(1)]).result)).toEqual([2, 3]);
  });
});

describe("dtype promotion", () => {
  it("gives float32 for an int tensor and a Python float, and for true division", () => {
    expect(dtype(call("Tensor.__add__", [t([2], "int64"), f(1.5)]).result)).toBe("float32");
    expect(dtype(call("Tensor.__truediv__", [t([2], "int64"), i(2)]).result)).toBe("float32");
    expect(dtype(call("Tensor.__floordiv__", [t([2], "int64"), i(2)]).result)).toBe("int64");
    expect(dtype(call("Tensor.__add__", [t([2], "bool"), i(1)]).result)).toBe("int64");
    expect(dtype(call("Tensor.__rpow__", [t([2], "int64"), f(2)]).result)).toBe("float32");
  });

  it("keeps a half tensor half against a 0-d float tensor, and gives bool for comparisons", () => {
    expect(dtype(call("Tensor.__add__", [t([2], "float16"), t([], "float32")]).result)).toBe("float16");
    expect(dtype(call("Tensor.__add__", [t([2], "int64"), t([], "float64")]).result)).toBe("float64");
    expect(dtype(call("Tensor.__eq__", [t([2, 3]), i(0)]).result)).toBe("bool");
    expect(dtype(call("torch.sqrt", [t([2], "int64")]).result)).toBe("float32");
    expect(dtype(call("torch.abs", [t([2], "int64")]).result)).toBe("int64");
  });

  it("converts with .to, .float and .type", () => {
    expect(dtype(call("Tensor.to", [t([2], "bool"), { kind: "dtype", dtype: "float32" }]).result)).toBe("float32");
    expect(dtype(call("Tensor.to", [t([2]), str("cuda"), { kind: "dtype", dtype: "float16" }]).result)).toBe("float16");
    expect(dtype(call("Tensor.to", [t([2]), t([1], "int64")]).result)).toBe("int64");
    expect(dtype(call("Tensor.to", [t([2])], { dtype: { kind: "dtype", dtype: "float64" } }).result)).toBe("float64");
    expect(dtype(call("Tensor.to", [t([2]), str("cpu")]).result)).toBe("float32");
    expect(dtype(call("Tensor.long", [t([2])]).result)).toBe("int64");
    expect(dtype(call("Tensor.type", [t([2]), str("torch.cuda.HalfTensor")]).result)).toBe("float16");
    const name = call("Tensor.type", [t([2], "int64")]).result;
    expect(name.kind === "str" && name.value).toBe("torch.LongTensor");
  });
});

describe("functional elementwise", () => {
  it("checks softmax's dim and halves GLU's", () => {
    expect(codes(call("torch.nn.functional.softmax", [t([2, 3])], { dim: i(2) }))).toEqual(["index-range"]);
    expect(shape(call("torch.nn.functional.log_softmax", [t([2, 3])], { dim: i(-1) }).result)).toEqual([2, 3]);
    expect(shape(call("torch.nn.functional.glu", [t([2, 10])]).result)).toEqual([2, 5]);
    expect(codes(call("torch.nn.functional.glu", [t([2, 5])]))).toEqual(["shape-mismatch"]);
  });

  it("keeps shapes for *_like constructors with a new dtype when asked", () => {
    const c = call("torch.zeros_like", [t(["N", 4], "int64")], { dtype: { kind: "dtype", dtype: "float32" } });
    expect([shape(c.result), dtype(c.result)]).toEqual([["N", 4], "float32"]);
    expect(shape(call("torch.randn_like", [t([4, 8])]).result)).toEqual([4, 8]);
  });
});
