import { describe, expect, it } from "vitest";
import { call, codes, i, shape, t, tuple } from "./harness.js";

describe("view and reshape", () => {
  it("infers -1 from a concrete element count", () => {
    expect(shape(call("Tensor.view", [t([1, 8, 8, 8]), i(-1), i(512)]).result)).toEqual([1, 512]);
    expect(shape(call("Tensor.reshape", [t([2, 3, 4]), tuple([i(4), i(-1)])]).result)).toEqual([4, 6]);
    expect(shape(call("torch.reshape", [t([2, 3, 4]), tuple([i(-1)])]).result)).toEqual([24]);
  });

  it("infers -1 symbolically when the batch is symbolic", () => {
    expect(shape(call("Tensor.view", [t(["N", 8, 8, 8]), i(-1), i(512)]).result)).toEqual(["N", 512]);
    // x.view(x.size(0), -1): the size is the symbolic int N
    expect(shape(call("Tensor.view", [t(["N", 16, 5, 5]), i("N"), i(-1)]).result)).toEqual(["N", 400]);
    expect(shape(call("Tensor.view", [t(["N", 4, "H", "W"]), i("N"), i(-1)]).result)).toEqual(["N", "4 * H * W"]);
    expect(shape(call("Tensor.reshape", [t(["B", "T", 24]), i("B"), i("T"), i(3), i(4), i(-1)]).result)).toEqual(["B", "T", 3, 4, 2]);
  });

  it("reduces a huge divisor of a symbolic batch in time (view(-1, 10**14) counted down from 10**14 for minutes)", () => {
    const started = Date.now();
    const c = call("Tensor.view", [t(["N", 8, 4, 4]), i(-1), i(100_000_000_000_000)]);
    expect(shape(c.result)?.[1]).toBe(100_000_000_000_000);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("reports view(-1, K) that folds samples of a symbolic batch together", () => {
    const c = call("Tensor.view", [t(["N", 8, 4, 4]), i(-1), i(512)]);
    expect(codes(c)).toEqual(["view-folds-batch"]);
    expect(c.reports[0].severity).toBe("warning");
    expect(c.reports[0].message).toContain("128");
    expect(shape(c.result)).toEqual(["N // 4", 512]);
  });

  it("floor-divides with a note when the symbolic count is not known to divide", () => {
    const c = call("Tensor.view", [t([2, "L"]), i(3), i(-1)]);
    expect(codes(c)).toEqual([]);
    expect(c.notes.length).toBe(1);
    expect(shape(c.result)).toEqual([3, "(2 * L) // 3"]);
  });

  it("reports sizes that cannot hold the elements, with the numbers", () => {
    const c = call("Tensor.view", [t([2, 3]), i(7)]);
    expect(codes(c)).toEqual(["view-size"]);
    expect(c.reports[0].message).toContain("[7]");
    expect(c.reports[0].message).toContain("6");
    expect(codes(call("Tensor.view", [t([2, 3]), i(-1), i(4)]))).toEqual(["view-size"]);
    expect(codes(call("Tensor.view", [t([2, 3]), i(-1), i(-1)]))).toEqual(["view-size"]);
    // a constant ratio between symbolic counts is a certain mismatch
    expect(codes(call("Tensor.view", [t(["N", 256]), i("N"), i(128)]))).toEqual(["view-size"]);
  });

  it("unknown sizes give an unknown shape, not an error", () => {
    const c = call("Tensor.view", [t([2, 3]), { kind: "unknown", why: "test" }, i(-1)]);
    expect(shape(c.result)).toBe("unknown");
    expect(c.reports).toEqual([]);
    // an unknown where a rule needs a concrete int
    expect(shape(call("Tensor.flatten", [t([2, 3, 4]), { kind: "unknown", why: "test" }]).result)).toBe("unknown");
    expect(shape(call("Tensor.view", [t(["N", 3]), i(-1), i(3)]).result)).toEqual(["N", 3]);
  });
});

describe("dim rearrangements", () => {
  it("flattens from start_dim to end_dim", () => {
    expect(shape(call("torch.flatten", [t(["N", 64, 1, 1]), i(1)]).result)).toEqual(["N", 64]);
    expect(shape(call("Tensor.flatten", [t([2, 8, 8, 4]), i(1), i(2)]).result)).toEqual([2, 64, 4]);
    expect(shape(call("torch.flatten", [t([])]).result)).toEqual([1]);
    expect(codes(call("torch.flatten", [t([2, 3]), i(2)]))).toEqual(["index-range"]);
  });

  it("unflattens with an inferred size", () => {
    expect(shape(call("Tensor.unflatten", [t([2, 12]), i(-1), tuple([i(-1), i(4)])]).result)).toEqual([2, 3, 4]);
  });

  it("permutes, transposes, squeezes and unsqueezes", () => {
    expect(shape(call("Tensor.permute", [t([2, 4, 8, 8]), i(0), i(2), i(3), i(1)]).result)).toEqual([2, 8, 8, 4]);
    expect(shape(call("Tensor.permute", [t([2, 3, 4]), tuple([i(2), i(0), i(1)])]).result)).toEqual([4, 2, 3]);
    expect(codes(call("Tensor.permute", [t([2, 3, 4]), i(0), i(1)]))).toEqual(["rank"]);
    expect(shape(call("Tensor.transpose", [t([2, 5, 8]), i(-2), i(-1)]).result)).toEqual([2, 8, 5]);
    expect(shape(call("Tensor.t", [t([10, 2])]).result)).toEqual([2, 10]);
    expect(shape(call("Tensor.squeeze", [t([2, 1, 10, 1])]).result)).toEqual([2, 10]);
    expect(shape(call("Tensor.squeeze", [t([2, 1, 10, 1]), i(-1)]).result)).toEqual([2, 1, 10]);
    expect(shape(call("Tensor.squeeze", [t([2, 3]), i(1)]).result)).toEqual([2, 3]);
    expect(shape(call("Tensor.unsqueeze", [t([2, 10]), i(-1)]).result)).toEqual([2, 10, 1]);
    expect(codes(call("Tensor.unsqueeze", [t([2, 10]), i(3)]))).toEqual(["index-range"]);
    expect(shape(call("torch.movedim", [t([2, 3, 4]), tuple([i(0), i(1)]), tuple([i(2), i(0)])]).result)).toEqual([3, 4, 2]);
  });

  it("expands, repeats and tiles", () => {
    expect(shape(call("Tensor.expand", [t([2, 1, 6, 4]), i(-1), i(3), i(-1), i(-1)]).result)).toEqual([2, 3, 6, 4]);
    expect(shape(call("Tensor.expand", [t([3, 1]), i(2), i(3), i(4)]).result)).toEqual([2, 3, 4]);
    expect(codes(call("Tensor.expand", [t([2, 3]), i(3), i(3)]))).toEqual(["broadcast"]);
    expect(shape(call("Tensor.expand_as", [t(["N", "C", 1, 1]), t(["N", "C", "H", "W"])]).result)).toEqual(["N", "C", "H", "W"]);
    expect(shape(call("Tensor.repeat", [t([2, 6, 4]), i(1), i(2), i(1)]).result)).toEqual([2, 12, 4]);
    expect(shape(call("Tensor.repeat", [t([3]), i(2), i(2)]).result)).toEqual([2, 6]);
    expect(shape(call("torch.tile", [t([2, 3]), tuple([i(2)])]).result)).toEqual([2, 6]);
  });

  it("unbinds into a tuple and narrows one dim", () => {
    const u = call("Tensor.unbind", [t([3, 2, 4])]).result;
    expect(u.kind === "tuple" && u.items.map(shape)).toEqual([[2, 4], [2, 4], [2, 4]]);
    expect(shape(call("Tensor.narrow", [t([4, 10]), i(1), i(2), i(5)]).result)).toEqual([4, 5]);
    expect(codes(call("Tensor.narrow", [t([4, 10]), i(1), i(8), i(5)]))).toEqual(["index-range"]);
  });
});
