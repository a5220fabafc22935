// Matrix products: matmul/@ (1-D operands gain and lose a dim, batch dims
// broadcast), mm/bmm/addmm/baddbmm, mv, dot, outer, F.linear and F.bilinear
// (shape from the weight), and einsum (subscripts parsed, "..." broadcast).
import { pyRepr } from "../../eval/operators.js";
import type { Value } from "../../eval/values.js";
import { dimAdd, dimCompareEq, dimEquals, dimToString, type Dim } from "../../shapes/dim.js";
import { broadcastShapes, formatShape, numel, type Shape } from "../../shapes/shape.js";
import { productFlops } from "../flops.js";
import { makeTensor, unknownTensor, type DType, type Tensor } from "../../shapes/tensor.js";
import type { Args, OpRule, RuleContext } from "../rule.js";
import { Message } from "../../diagnostics/messages.js";
import { argumentLabel, callLabel, sizeStory } from "../describe.js";
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
    ctx.report(Message.rankPair({ subject: callLabel(ctx, owner), expected: "arguments of at least 1 dimension", left: formatShape(a), right: formatShape(b) }));
    return undefined;
  }
  const k1 = a[a.length - 1];
  const k2 = b.length === 1 ? b[0] : b[b.length - 2];
  if (conflicts(k1, k2)) {
    const op = callLabel(ctx, owner);
    if (a.length === 1 && b.length === 1) ctx.report(Message.matmulVectors({ op, leftSize: dimToString(k1), rightSize: dimToString(k2) }));
    else
      ctx.report(
        Message.matmulInner({
          op,
          left: `${formatShape(a)} (${dims2(a.length === 1 ? [1, ...a] : a.slice(-2))})`,
          right: `${formatShape(b)} (${dims2(b.length === 1 ? [...b, 1] : b.slice(-2))})`,
          leftName: argumentLabel(ctx, 0, "the first"),
          leftSize: dimToString(k1),
          rightWhat: b.length === 1 ? "size" : "second-to-last dimension",
          rightName: argumentLabel(ctx, 1, "the second"),
          rightSize: dimToString(k2),
        }),
      );
  }
  if (a.length === 1 && b.length === 1) return [];
  if (a.length === 2 && b.length === 2) return [a[0], b[1]];
  if (a.length === 1) return [...b.slice(0, -2), b[b.length - 1]];
  if (b.length === 1) return [...a.slice(0, -1)];
  const batch = broadcastShapes(a.slice(0, -2), b.slice(0, -2));
  if (!batch.ok) {
    ctx.report(Message.broadcastMatmulBatch({ op: callLabel(ctx, owner), left: formatShape(a), right: formatShape(b), leftSize: dimToString(batch.left), rightSize: dimToString(batch.right) }));
    return [...a.slice(0, -1), b[b.length - 1]];
  }
  return [...batch.shape, a[a.length - 2], b[b.length - 1]];
}

/**
 * flops of a matrix product (matmul, @, mm, bmm, mv, dot, and addmm/baddbmm/addmv,
 * whose added input is elementwise): 2 × (elements of the result) × k, the shared
 * axis (the left operand's last). flop_counter counts mm/bmm so; it has no rule for
 * mv and dot, which are counted here as the products they are.
 */
function productFlopsOf(result: Shape, left: Shape): Dim | undefined {
  return productFlops(numel(result), left[left.length - 1]);
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
    if (shape) ctx.countFlops(productFlopsOf(shape, a.shape));
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
      ctx.report(Message.rankPair({ subject: callLabel(ctx, owner), expected: `${ranks[0]}-D and ${ranks[1]}-D tensors`, left: formatShape(a.shape), right: formatShape(b.shape) }));
      return unknownTensor(`${owner} of tensors of the wrong rank`);
    }
    if (ranks[0] === 3 && ranks[1] === 3 && conflicts(a.shape[0], b.shape[0]))
      ctx.report(Message.matmulBatch({ op: callLabel(ctx, owner), left: formatShape(a.shape), right: formatShape(b.shape) }));
    const shape = matmulShape(ctx, owner, a.shape, b.shape);
    if (shape && ranks[0] === 3) shape[0] = a.shape[0];
    if (shape) ctx.countFlops(productFlopsOf(shape, a.shape));
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
    if (!r.ok || r.shape.length !== out.shape.length || r.shape.some((d, i) => dimCompareEq(d, out.shape![i]) === false))
      ctx.report(Message.broadcastAddProduct({ op: callLabel(ctx, owner), input: formatShape(input.shape), product: formatShape(out.shape) }));
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
    ctx.report(Message.rankPair({ subject: "F.linear", expected: "an input of at least 1 dimension and a 1-D or 2-D weight", left: formatShape(x.shape), right: formatShape(w.shape) }));
    return unknownTensor("F.linear of tensors of the wrong rank", x.dtype);
  }
  const inFeatures = w.shape[w.shape.length - 1];
  const last = x.shape[x.shape.length - 1];
  if (conflicts(last, inFeatures)) {
    ctx.report(Message.functionalLinearInFeatures({ weight: formatShape(w.shape), expected: dimToString(inFeatures), tensor: argumentLabel(ctx, 0), actual: `${sizeStory(ctx, x, x.shape.length - 1)} (shape ${formatShape(x.shape)})` }));
  }
  const shape = w.shape.length === 2 ? [...x.shape.slice(0, -1), w.shape[0]] : [...x.shape.slice(0, -1)];
  // flops: 2 × (elements of the result) × in_features, as for nn.Linear (the bias is not counted)
  ctx.countFlops(productFlops(numel(shape), inFeatures));
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
  if (conflicts(last1, w.shape[1])) ctx.report(Message.functionalBilinearInFeatures({ which: "input1", shape: formatShape(x1.shape), actual: dimToString(last1), weight: formatShape(w.shape), expected: dimToString(w.shape[1]) }));
  if (x2.kind === "tensor" && x2.shape) {
    const last2 = x2.shape[x2.shape.length - 1];
    if (conflicts(last2, w.shape[2])) ctx.report(Message.functionalBilinearInFeatures({ which: "input2", shape: formatShape(x2.shape), actual: dimToString(last2), weight: formatShape(w.shape), expected: dimToString(w.shape[2]) }));
  }
  ctx.countFlops(bilinearFlops(numel(x1.shape.slice(0, -1)), w.shape));
  return makeTensor([...x1.shape.slice(0, -1), w.shape[0]], x1.dtype);
}

/**
 * flops of F.bilinear, which torch computes as _trilinear's two contractions (bmm):
 * x1 with the weight [out, in1, in2], 2 × N × out × in1 × in2, then that with x2,
 * 2 × N × out × in2 (N the positions; the bias is not counted).
 */
export function bilinearFlops(positions: Dim, weight: Shape): Dim | undefined {
  const [out, in1, in2] = weight;
  return productFlops(positions, out, in2, dimAdd(in1, 1));
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
    ctx.report(Message.einsumOperandCount({ op: owner, subscripts: inputs.length, operands: shapes.length }));
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
      ctx.report(Message.rankEinsum({ op: owner, index: i, rank: shape.length, shape: formatShape(shape), subscripts: inputs[i].replace(ELLIPSIS, "..."), named: letters.length }));
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
            ctx.report(Message.broadcastEinsumEllipsis({ op: owner, left: formatShape(ellipsis), right: formatShape(part) }));
            return undefined;
          }
          ellipsis = r.shape;
        }
        axis += ellipsisLength;
        continue;
      }
      if (!/^[a-zA-Z]$/.test(c)) {
        ctx.report(Message.einsumSubscriptInvalid({ op: owner, letter: c }));
        return undefined;
      }
      const d = shape[axis++];
      counts.set(c, (counts.get(c) ?? 0) + 1);
      const seen = sizes.get(c);
      if (seen === undefined || seen === 1) sizes.set(c, d);
      else if (d !== 1 && conflicts(seen, d)) {
        ctx.report(Message.einsumSubscript({ op: owner, letter: c, size: dimToString(d), index: i, shape: formatShape(shape), seen: dimToString(seen) }));
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
        ctx.report(Message.einsumOutputSubscript({ op: owner, letter: c }));
        return undefined;
      }
      out.push(d);
    }
  }
  return out;
}

/**
 * flops of einsum, which torch computes as a bmm: one operand makes no product (0);
 * two make 2 × the product of the sizes of every index that both share or the result
 * keeps (an index of one operand only is summed out first, elementwise), unless no
 * shared index is summed: then torch multiplies elementwise (an outer product, 0). Three or more
 * are contracted pairwise in an order torch picks (opt_einsum when installed): not
 * known, so undefined.
 */
export function einsumFlops(equation: string, shapes: readonly Shape[]): Dim | undefined {
  if (shapes.length === 1) return 0;
  if (shapes.length !== 2) return undefined;
  const { inputs, output } = parseEquation(equation);
  const sizes = new Map<string, Dim>();
  const uses = new Map<string, number>();
  let ellipsis: Shape = [];
  inputs.forEach((subs, i) => {
    const letters = [...subs];
    const before = letters.indexOf(ELLIPSIS);
    const ellipsisLength = shapes[i].length - letters.filter((c) => c !== ELLIPSIS).length;
    letters.forEach((c, j) => {
      if (c === ELLIPSIS) {
        const part = shapes[i].slice(j, j + ellipsisLength);
        if (part.length > ellipsis.length) ellipsis = part;
        return;
      }
      const axis = before >= 0 && j > before ? j - 1 + ellipsisLength : j;
      const d = shapes[i][axis];
      if (!sizes.has(c) || sizes.get(c) === 1) sizes.set(c, d);
      uses.set(c, (uses.get(c) ?? 0) + 1);
    });
  });
  const kept = output ?? [...uses.entries()].filter(([, n]) => n === 1).map(([c]) => c).join("");
  if (![...uses.entries()].some(([c, n]) => n > 1 && !kept.includes(c))) return 0;
  const factors = [...sizes.entries()].filter(([c]) => (uses.get(c) ?? 0) > 1 || kept.includes(c)).map(([, d]) => d);
  return productFlops(numel(ellipsis), ...factors);
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
  if (shape) ctx.countFlops(einsumFlops(eq.value, tensors.map((t) => t.shape)));
  return shape ? makeTensor(shape, promoted(...tensors)) : unknownTensor(`einsum("${eq.value}") failed`);
}

export const matmulOps: readonly OpRule[] = [
  rule(["torch.matmul", "Tensor.matmul", "torch.linalg.matmul"], "input, other, *, out=None", matmulApply("matmul", "input", "other")),
  rule(["Tensor.__matmul__"], "self, other", matmulApply("@", "self", "other")),
  rule(["Tensor.__rmatmul__"], "self, other", matmulApply("@", "other", "self")),
  rule(["torch.mm", "Tensor.mm", "torch.spmm"], "input, mat2, *, out=None", fixedRank("mm", "input", "mat2", [2, 2])),
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
      ctx.report(Message.rankPair({ subject: "outer", expected: "1-D tensors", left: formatShape(a.shape), right: formatShape(b.shape) }));
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
      ctx.report(Message.rankPair({ subject: "cdist", expected: "inputs of at least 2 dimensions", left: formatShape(a.shape), right: formatShape(b.shape) }));
      return unknownTensor("cdist of tensors of the wrong rank");
    }
    const m1 = a.shape[a.shape.length - 1];
    const m2 = b.shape[b.shape.length - 1];
    if (conflicts(m1, m2)) ctx.report(Message.cdistColumns({ left: formatShape(a.shape), right: formatShape(b.shape), leftSize: dimToString(m1), rightSize: dimToString(m2) }));
    const batch = broadcastAll(ctx, "cdist", [a.shape.slice(0, -2), b.shape.slice(0, -2)]);
    return makeTensor([...batch, a.shape[a.shape.length - 2], b.shape[b.shape.length - 2]], promoted(a, b));
  }),
  rule(["torch.nn.functional.linear"], "input, weight, bias=None", linearApply),
  rule(["torch.nn.functional.bilinear"], "input1, input2, weight, bias=None", bilinearApply),
];
