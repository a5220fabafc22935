// Matrix products: matmul/@ (1-D operands gain and lose a dim, batch dims
// broadcast), mm/bmm/addmm/baddbmm, mv, dot, outer, F.linear and F.bilinear
// (shape from the weight), and einsum (subscripts parsed, "..." broadcast).
import { pyRepr } from "../../eval/operators.js";
import type { Value } from "../../eval/values.js";
import { dimEquals, dimToString, type Dim } from "../../shapes/dim.js";
import { broadcastShapes, formatShape, type Shape } from "../../shapes/shape.js";
import { makeTensor, unknownTensor, type DType, type Tensor } from "../../shapes/tensor.js";
import type { Args, OpRule, RuleContext } from "../rule.js";
import { broadcastAll, isKnown, operandOf, resultType, unknownFrom, type KnownTensor, type Operand, opRule as rule } from "./support.js";

function promoted(...ts: readonly Tensor[]): DType {
  return resultType(ts.map((t) => operandOf(t) as Operand));
}

/** Two sizes that must agree: a fault only when both are concrete and differ. */
function conflicts(a: Dim, b: Dim): boolean {
  return !dimEquals(a, b) && typeof a === "number" && typeof b === "number";
}

function dims2(shape: Shape): string {
  return shape.map(dimToString).join("x");
}

/** The shape of torch.matmul(a, b), reporting matmul-shape on an inner-dim mismatch. */
export function matmulShape(ctx: RuleContext, owner: string, a: Shape, b: Shape): Dim[] | undefined {
  if (a.length === 0 || b.length === 0) {
    ctx.report("rank", `${owner}: both arguments need at least 1 dimension, but got shapes ${formatShape(a)} and ${formatShape(b)}`);
    return undefined;
  }
  const k1 = a[a.length - 1];
  const k2 = b.length === 1 ? b[0] : b[b.length - 2];
  if (conflicts(k1, k2)) {
    const what =
      a.length === 1 && b.length === 1
        ? `1-D tensors of sizes ${dimToString(k1)} and ${dimToString(k2)}`
        : `shapes ${formatShape(a)} and ${formatShape(b)}: the last dimension of the first (${dimToString(k1)}) must equal the ${b.length === 1 ? "size" : "second-to-last dimension"} of the second (${dimToString(k2)})`;
    ctx.report("matmul-shape", `${owner}: cannot multiply ${what} (${dims2(a.length === 1 ? [1, ...a] : a.slice(-2))} and ${dims2(b.length === 1 ? [...b, 1] : b.slice(-2))})`);
  }
  if (a.length === 1 && b.length === 1) return [];
  if (a.length === 2 && b.length === 2) return [a[0], b[1]];
  if (a.length === 1) return [...b.slice(0, -2), b[b.length - 1]];
  if (b.length === 1) return [...a.slice(0, -1)];
  const batch = broadcastShapes(a.slice(0, -2), b.slice(0, -2));
  if (!batch.ok) {
    ctx.report(
      "broadcast",
      `${owner}: the batch dimensions of ${formatShape(a)} and ${formatShape(b)} cannot broadcast (${dimToString(batch.left)} vs ${dimToString(batch.right)})`,
    );
    return [...a.slice(0, -1), b[b.length - 1]];
  }
  return [...batch.shape, a[a.length - 2], b[b.length - 1]];
}

/** Two tensor arguments with known shapes, or the unknown result. */
function pairOf(args: Args, x: string, y: string, owner: string): [KnownTensor, KnownTensor] | Tensor {
  const a = args.value(x);
  const b = args.value(y);
  for (const v of [a, b]) {
    if (v.kind === "unknown") return unknownTensor(v.why);
    if (v.kind !== "tensor") return unknownTensor(`${owner} of a ${v.kind}`);
    if (!isKnown(v)) return unknownFrom(v, owner);
  }
  return [a as KnownTensor, b as KnownTensor];
}

function matmulApply(owner: string, x: string, y: string) {
  return (args: Args, ctx: RuleContext): Value => {
    const pair = pairOf(args, x, y, owner);
    if (!Array.isArray(pair)) return pair;
    const [a, b] = pair;
    const shape = matmulShape(ctx, owner, a.shape, b.shape);
    return shape ? makeTensor(shape, promoted(a, b)) : unknownTensor(`${owner} of ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  };
}

/** mm/bmm/mv: matmul restricted to fixed ranks. */
function fixedRank(owner: string, x: string, y: string, ranks: readonly [number, number]) {
  return (args: Args, ctx: RuleContext): Value => {
    const pair = pairOf(args, x, y, owner);
    if (!Array.isArray(pair)) return pair;
    const [a, b] = pair;
    if (a.shape.length !== ranks[0] || b.shape.length !== ranks[1]) {
      ctx.report("rank", `${owner} expects ${ranks[0]}-D and ${ranks[1]}-D tensors, but got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
      return unknownTensor(`${owner} of tensors of the wrong rank`);
    }
    if (ranks[0] === 3 && ranks[1] === 3 && conflicts(a.shape[0], b.shape[0]))
      ctx.report("matmul-shape", `${owner}: batch sizes differ: ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
    const shape = matmulShape(ctx, owner, a.shape, b.shape);
    if (shape && ranks[0] === 3) shape[0] = a.shape[0];
    return shape ? makeTensor(shape, promoted(a, b)) : unknownTensor(`${owner} failed`);
  };
}

/** addmm/baddbmm/addmv: the product's shape, with `input` broadcast into it. */
function addProduct(owner: string, x: string, y: string, ranks: readonly [number, number]) {
  const product = fixedRank(owner, x, y, ranks);
  return (args: Args, ctx: RuleContext): Value => {
    const out = product(args, ctx);
    const input = args.value("input");
    if (out.kind !== "tensor" || !out.shape || input.kind !== "tensor" || !input.shape) return out;
    const r = broadcastShapes(input.shape, out.shape);
    if (!r.ok || r.shape.length !== out.shape.length || !r.shape.every((d, i) => dimEquals(d, out.shape![i])))
      ctx.report("broadcast", `${owner}: input of shape ${formatShape(input.shape)} cannot broadcast to the product's shape ${formatShape(out.shape)}`);
    return out;
  };
}

/** F.linear: weight [out, in] (or [in]) applied to the last dim. */
function linearApply(args: Args, ctx: RuleContext): Value {
  const x = args.value("input");
  const w = args.value("weight");
  if (x.kind !== "tensor" || !isKnown(x)) return x.kind === "tensor" ? unknownFrom(x, "F.linear") : unknownTensor("F.linear of a non-tensor");
  if (w.kind !== "tensor" || !isKnown(w)) return unknownTensor("F.linear with a weight of unknown shape", x.dtype);
  if (x.shape.length === 0 || w.shape.length === 0 || w.shape.length > 2) {
    ctx.report("rank", `F.linear expects an input of at least 1 dimension and a 1-D or 2-D weight, but got input ${formatShape(x.shape)} and weight ${formatShape(w.shape)}`);
    return unknownTensor("F.linear of tensors of the wrong rank", x.dtype);
  }
  const inFeatures = w.shape[w.shape.length - 1];
  const last = x.shape[x.shape.length - 1];
  if (conflicts(last, inFeatures)) {
    ctx.report(
      "linear-in-features",
      `F.linear: weight ${formatShape(w.shape)} expects ${dimToString(inFeatures)} input features, but the input has ${dimToString(last)} (shape ${formatShape(x.shape)})`,
    );
  }
  const shape = w.shape.length === 2 ? [...x.shape.slice(0, -1), w.shape[0]] : [...x.shape.slice(0, -1)];
  const b = args.value("bias");
  if (b.kind === "tensor" && b.shape) broadcastAll(ctx, "F.linear", [shape, b.shape]);
  return makeTensor(shape, x.dtype);
}

/** F.bilinear: weight [out, in1, in2]; x1 [..., in1], x2 [..., in2] → [..., out]. */
function bilinearApply(args: Args, ctx: RuleContext): Value {
  const x1 = args.value("input1");
  const x2 = args.value("input2");
  const w = args.value("weight");
  if (x1.kind !== "tensor" || !isKnown(x1)) return unknownTensor("F.bilinear of an unknown shape");
  if (w.kind !== "tensor" || !isKnown(w) || w.shape.length !== 3) return unknownTensor("F.bilinear with a weight of unknown shape", x1.dtype);
  const last1 = x1.shape[x1.shape.length - 1];
  if (conflicts(last1, w.shape[1])) ctx.report("shape-mismatch", `F.bilinear: input1 ${formatShape(x1.shape)} has ${dimToString(last1)} features, the weight ${formatShape(w.shape)} expects ${dimToString(w.shape[1])}`);
  if (x2.kind === "tensor" && x2.shape) {
    const last2 = x2.shape[x2.shape.length - 1];
    if (conflicts(last2, w.shape[2])) ctx.report("shape-mismatch", `F.bilinear: input2 ${formatShape(x2.shape)} has ${dimToString(last2)} features, the weight ${formatShape(w.shape)} expects ${dimToString(w.shape[2])}`);
  }
  return makeTensor([...x1.shape.slice(0, -1), w.shape[0]], x1.dtype);
}

// ---------------------------------------------------------------- einsum

interface Subscripts {
  readonly inputs: readonly string[];
  /** undefined: implicit output (letters seen once, sorted; "..." first) */
  readonly output: string | undefined;
}

const ELLIPSIS = "…";

function parseEquation(equation: string): Subscripts {
  const eq = equation.replace(/\s+/g, "").replace(/\.\.\./g, ELLIPSIS);
  const [lhs, rhs] = eq.split("->");
  return { inputs: lhs.split(","), output: rhs };
}

/** The shape torch.einsum gives; faults are reported. */
export function einsumShape(ctx: RuleContext, equation: string, shapes: readonly Shape[]): Dim[] | undefined {
  const { inputs, output } = parseEquation(equation);
  const owner = `einsum("${equation}")`;
  if (inputs.length !== shapes.length) {
    ctx.report("shape-mismatch", `${owner}: the equation has ${inputs.length} operand subscripts, but ${shapes.length} operands were given`);
    return undefined;
  }
  const sizes = new Map<string, Dim>();
  let ellipsis: Shape | undefined;
  const counts = new Map<string, number>();
  for (let i = 0; i < inputs.length; i++) {
    const subs = [...inputs[i]];
    const shape = shapes[i];
    const letters = subs.filter((c) => c !== ELLIPSIS);
    const hasEllipsis = subs.includes(ELLIPSIS);
    if (hasEllipsis ? shape.length < letters.length : shape.length !== letters.length) {
      ctx.report("rank", `${owner}: operand ${i} has ${shape.length} dimensions (shape ${formatShape(shape)}), but its subscripts "${inputs[i].replace(ELLIPSIS, "...")}" name ${letters.length}`);
      return undefined;
    }
    const ellipsisLength = shape.length - letters.length;
    let axis = 0;
    for (const c of subs) {
      if (c === ELLIPSIS) {
        const part = shape.slice(axis, axis + ellipsisLength);
        if (ellipsis === undefined) ellipsis = part;
        else {
          const r = broadcastShapes(ellipsis, part);
          if (!r.ok) {
            ctx.report("broadcast", `${owner}: the "..." dimensions ${formatShape(ellipsis)} and ${formatShape(part)} cannot broadcast`);
            return undefined;
          }
          ellipsis = r.shape;
        }
        axis += ellipsisLength;
        continue;
      }
      if (!/^[a-zA-Z]$/.test(c)) {
        ctx.report("shape-mismatch", `${owner}: invalid subscript '${c}'`);
        return undefined;
      }
      const d = shape[axis++];
      counts.set(c, (counts.get(c) ?? 0) + 1);
      const seen = sizes.get(c);
      if (seen === undefined || seen === 1) sizes.set(c, d);
      else if (d !== 1 && conflicts(seen, d)) {
        ctx.report("matmul-shape", `${owner}: subscript '${c}' has size ${dimToString(d)} in operand ${i} (shape ${formatShape(shape)}), which does not match the size ${dimToString(seen)} it has elsewhere`);
        return undefined;
      }
    }
  }
  const outSubs = output ?? (ellipsis ? ELLIPSIS : "") + [...counts.entries()].filter(([, n]) => n === 1).map(([c]) => c).sort().join("");
  const out: Dim[] = [];
  for (const c of outSubs) {
    if (c === ELLIPSIS) out.push(...(ellipsis ?? []));
    else {
      const d = sizes.get(c);
      if (d === undefined) {
        ctx.report("shape-mismatch", `${owner}: output subscript '${c}' does not appear in the inputs`);
        return undefined;
      }
      out.push(d);
    }
  }
  return out;
}

function einsumApply(args: Args, ctx: RuleContext): Value {
  const eq = args.value("equation");
  if (eq.kind !== "str") return unknownTensor(`einsum with equation ${pyRepr(eq)}`);
  const raw = args.value("operands");
  let operands = raw.kind === "tuple" ? raw.items : [];
  if (operands.length === 1 && (operands[0].kind === "list" || operands[0].kind === "tuple")) operands = operands[0].items;
  const tensors: KnownTensor[] = [];
  for (const v of operands) {
    if (v.kind !== "tensor") return unknownTensor(v.kind === "unknown" ? v.why : `einsum of a ${v.kind}`);
    if (!isKnown(v)) return unknownFrom(v, "einsum");
    tensors.push(v);
  }
  const shape = einsumShape(ctx, eq.value, tensors.map((t) => t.shape));
  return shape ? makeTensor(shape, promoted(...tensors)) : unknownTensor(`einsum("${eq.value}") failed`);
}

export const matmulOps: readonly OpRule[] = [
  rule(["torch.matmul", "Tensor.matmul", "torch.linalg.matmul"], "input, other, *, out=None", matmulApply("matmul", "input", "other")),
  rule(["Tensor.__matmul__"], "self, other", matmulApply("@", "self", "other")),
  rule(["Tensor.__rmatmul__"], "self, other", matmulApply("@", "other", "self")),
  rule(["torch.mm", "Tensor.mm"], "input, mat2, *, out=None", fixedRank("mm", "input", "mat2", [2, 2])),
  rule(["torch.bmm", "Tensor.bmm"], "input, mat2, *, out=None", fixedRank("bmm", "input", "mat2", [3, 3])),
  rule(["torch.mv", "Tensor.mv"], "input, vec, *, out=None", fixedRank("mv", "input", "vec", [2, 1])),
  rule(["torch.dot", "Tensor.dot", "torch.inner", "Tensor.inner", "torch.vdot", "Tensor.vdot"], "input, other, *, out=None", fixedRank("dot", "input", "other", [1, 1])),
  rule(["torch.addmm", "Tensor.addmm"], "input, mat1, mat2, *, beta=1, alpha=1, out=None", addProduct("addmm", "mat1", "mat2", [2, 2])),
  rule(["torch.baddbmm", "Tensor.baddbmm"], "input, batch1, batch2, *, beta=1, alpha=1, out=None", addProduct("baddbmm", "batch1", "batch2", [3, 3])),
  rule(["torch.addmv", "Tensor.addmv"], "input, mat, vec, *, beta=1, alpha=1, out=None", addProduct("addmv", "mat", "vec", [2, 1])),
  rule(["Tensor.addmm_", "Tensor.baddbmm_", "Tensor.addmv_"], "input, *args, **kwargs", (args) => args.value("input")),
  rule(["torch.outer", "Tensor.outer", "torch.ger", "Tensor.ger"], "input, vec2, *, out=None", (args, ctx) => {
    const pair = pairOf(args, "input", "vec2", "outer");
    if (!Array.isArray(pair)) return pair;
    const [a, b] = pair;
    if (a.shape.length !== 1 || b.shape.length !== 1) {
      ctx.report("rank", `outer expects 1-D tensors, but got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
      return unknownTensor("outer of tensors of the wrong rank");
    }
    return makeTensor([a.shape[0], b.shape[0]], promoted(a, b));
  }),
  rule(["torch.einsum"], "equation, *operands", einsumApply),
  // cdist: (B, P, M) and (B, R, M) → (B, P, R), batch dims broadcast
  rule(["torch.cdist"], "x1, x2, p=2.0, compute_mode='use_mm_for_euclid_dist_if_necessary'", (args, ctx) => {
    const pair = pairOf(args, "x1", "x2", "cdist");
    if (!Array.isArray(pair)) return pair;
    const [a, b] = pair;
    if (a.shape.length < 2 || b.shape.length < 2) {
      ctx.report("rank", `cdist expects inputs of at least 2 dimensions, but got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
      return unknownTensor("cdist of tensors of the wrong rank");
    }
    const m1 = a.shape[a.shape.length - 1];
    const m2 = b.shape[b.shape.length - 1];
    if (conflicts(m1, m2)) ctx.report("shape-mismatch", `cdist: x1 ${formatShape(a.shape)} and x2 ${formatShape(b.shape)} must have the same number of columns (${dimToString(m1)} vs ${dimToString(m2)})`);
    const batch = broadcastAll(ctx, "cdist", [a.shape.slice(0, -2), b.shape.slice(0, -2)]);
    return makeTensor([...batch, a.shape[a.shape.length - 2], b.shape[b.shape.length - 2]], promoted(a, b));
  }),
  rule(["torch.nn.functional.linear"], "input, weight, bias=None", linearApply),
  rule(["torch.nn.functional.bilinear"], "input1, input2, weight, bias=None", bilinearApply),
];
