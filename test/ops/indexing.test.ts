import { describe, expect, it } from "vitest";
import { call, codes, ellipsis, i, list, none, shape, slice, t, tuple } from "./harness.js";

const get = (x: ReturnType<typeof t>, ...index: Parameters<typeof tuple>[0]) => call("Tensor.__getitem__", [x, index.length === 1 ? index[0] : tuple(index)]);

describe("__getitem__", () => {
  it("drops int-indexed dims and keeps sliced ones", () => {
    const x = t([2, 6, 4]);
    expect(shape(get(x, slice(), i(-1)).result)).toEqual([2, 4]);
    expect(shape(get(x, ellipsis, i(0)).result)).toEqual([2, 6]);
    expect(shape(get(x, slice(), slice(null, 2)).result)).toEqual([2, 2, 4]);
    expect(shape(get(x, i(0)).result)).toEqual([6, 4]);
    expect(shape(get(x, i(0), i(0), i(0)).result)).toEqual([]);
  });

  it("computes slice lengths as Python's slice.indices does", () => {
    const x = t([10]);
    expect(shape(get(x, slice(1, -1)).result)).toEqual([8]);
    expect(shape(get(x, slice(null, null, 3)).result)).toEqual([4]);
    expect(shape(get(x, slice(5, 100)).result)).toEqual([5]);
    expect(shape(get(x, slice(-100, 3)).result)).toEqual([3]);
    expect(shape(get(x, slice(7, 2)).result)).toEqual([0]);
    expect(shape(get(x, slice(1, null, 2)).result)).toEqual([5]);
  });

  it("gives symbolic lengths on symbolic dims", () => {
    const x = t(["N", "H"]);
    expect(shape(get(x, slice(), slice(1)).result)).toEqual(["N", "H - 1"]);
    expect(shape(get(x, slice(), slice(null, -2)).result)).toEqual(["N", "H - 2"]);
    expect(shape(get(x, slice(), slice(-3)).result)).toEqual(["N", 3]);
    expect(shape(get(x, slice(), slice(null, null, 2)).result)).toEqual(["N", "(H + 1) // 2"]);
    // mask[:T, :T] where T is a symbolic size
    expect(shape(get(t([10, 10]), slice(null, "T"), slice(null, "T")).result)).toEqual(["T", "T"]);
  });

  it("adds dims for None and fills with an ellipsis", () => {
    expect(shape(get(t([3, 10]), slice(), slice(), none).result)).toEqual([3, 10, 1]);
    expect(shape(get(t([3, 10]), slice(), none, slice()).result)).toEqual([3, 1, 10]);
    expect(shape(get(t([2, 3, 4, 5]), i(0), none, ellipsis, none).result)).toEqual([1, 3, 4, 5, 1]);
  });

  it("reports an int out of range and too many indices", () => {
    const c = get(t([2, 6, 4]), slice(), i(6));
    expect(codes(c)).toEqual(["index-range"]);
    expect(c.reports[0].message).toContain("index 6 is out of bounds for dimension 1 of size 6");
    expect(codes(get(t([2, 3]), i(0), i(0), i(0)))).toEqual(["index-range"]);
    expect(codes(get(t(["N", 3]), i(5), i(0)))).toEqual([]);
  });

  it("places advanced indices where they stand when adjacent, else first", () => {
    const x = t([2, 3, 4, 5]);
    const idx = t([2], "int64");
    expect(shape(get(x, slice(), i(0), slice(), idx).result)).toEqual([2, 4, 2]);
    expect(shape(get(x, idx, slice(), idx).result)).toEqual([2, 3, 5]);
    expect(shape(get(x, slice(), idx, idx).result)).toEqual([2, 2, 5]);
    expect(shape(get(x, slice(), idx, slice(), idx).result)).toEqual([2, 2, 4]);
    expect(shape(get(x, idx, slice(), t([3, 2], "int64")).result)).toEqual([3, 2, 3, 5]);
    expect(shape(get(x, list([i(0), i(1)])).result)).toEqual([2, 3, 4, 5]);
  });

  it("gives a boolean mask a data-dependent count, a fresh one per mask", () => {
    const [count, rest] = shape(get(t([2, 3, 4]), t([2, 3], "bool")).result) as [string, number];
    expect(count).toMatch(/^masked_\d+$/);
    expect(rest).toBe(4);
    const [other] = shape(get(t([2, 3, 4]), t([2, 3], "bool")).result) as [string];
    expect(other).toMatch(/^masked_\d+$/);
    expect(other).not.toBe(count);
    expect(codes(get(t([2, 3, 4]), t([2, 4], "bool")))).toEqual(["index-range"]);
  });
});

describe("__setitem__ and size queries", () => {
  it("returns None and checks the value broadcasts to the indexed shape", () => {
    const ok = call("Tensor.__setitem__", [t([64, 1, 16]), tuple([slice(), i(0), slice(0, null, 2)]), t([64, 8])]);
    expect(ok.result.kind).toBe("none");
    expect(codes(ok)).toEqual([]);
    expect(codes(call("Tensor.__setitem__", [t([4, 4]), slice(null, 2), t([3])]))).toEqual(["broadcast"]);
  });

  it("returns Python ints from size(), symbolic when the shape is", () => {
    const all = call("Tensor.size", [t(["N", 3])]).result;
    expect(all.kind === "tuple" && all.items.map((v) => (v.kind === "int" ? String(v.value) : v.kind))).toEqual(["N", "3"]);
    const one = call("Tensor.size", [t(["N", 3]), i(-1)]).result;
    expect(one).toEqual({ kind: "int", value: 3 });
    expect(codes(call("Tensor.size", [t(["N", 3]), i(2)]))).toEqual(["index-range"]);
    expect(call("Tensor.dim", [t([2, 3, 4])]).result).toEqual({ kind: "int", value: 3 });
    const n = call("Tensor.numel", [t(["N", 3])]).result;
    expect(n.kind === "int" && String(n.value)).toBe("3 * N");
    expect(call("Tensor.__len__", [t([7, 2])]).result).toEqual({ kind: "int", value: 7 });
  });
});
