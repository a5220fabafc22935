// Helpers the op families share: reading tensors, sizes, dims and dtypes out of
// bound arguments, and PyTorch's type promotion. Not a family: it exports no rules.
import { numericValue, pyRepr } from "../../eval/operators.js";
import { makeClass } from "../../eval/builtins.js";
import { native, str, tuple, unknown, type ClassValue, type TupleValue, type Value } from "../../eval/values.js";
import { dimEquals, dimToString, type Dim } from "../../shapes/dim.js";
import { broadcastShapes, formatShape, normalizeAxis, type Shape } from "../../shapes/shape.js";
import { dtypeAliases, isFloatingDType, typedTensorClasses, unknownTensor, type DType, type Tensor } from "../../shapes/tensor.js";
import { PyException } from "../../eval/errors.js";
import type { Args, OpRule, RuleContext } from "../rule.js";
import { Message, Related } from "../../diagnostics/messages.js";
import { argumentLabel, callLabel } from "../describe.js";

/** A tensor whose shape is known. */
export type KnownTensor = Tensor & { readonly shape: Shape };

export function isKnown(t: Tensor): t is KnownTensor {
  return t.shape !== undefined;
}

/** The unknown result of an op whose input shape is unknown (keeps the reason). */
export function unknownFrom(t: Tensor | undefined, owner: string, dtype?: DType): Tensor {
  if (!t) return unknownTensor(`${owner} received no tensor`, dtype);
  return unknownTensor(t.unknownReason ?? `${owner} of a tensor of unknown shape`, dtype ?? t.dtype);
}

/** A size list: varargs (`2, 3`), one tuple/list/torch.Size, or ints. Undefined when an element is not a size (unknown). */
export function sizeList(v: Value): Dim[] | undefined {
  if (v.kind === "tuple" || v.kind === "list") {
    if (v.items.length === 1 && (v.items[0].kind === "tuple" || v.items[0].kind === "list")) return sizeList(v.items[0]);
    const out: Dim[] = [];
    for (const item of v.items) {
      const d = numericValue(item);
      if (d === undefined) return undefined;
      out.push(d);
    }
    return out;
  }
  const d = numericValue(v);
  return d === undefined ? undefined : [d];
}

/** Whether a value (or a sequence of them) holds something unknown. */
export function containsUnknown(v: Value): boolean {
  if (v.kind === "unknown") return true;
  if (v.kind === "tuple" || v.kind === "list") return v.items.some(containsUnknown);
  return false;
}

/** A concrete int value, or undefined. */
export function concreteInt(v: Value): number | undefined {
  const d = numericValue(v);
  return typeof d === "number" ? d : undefined;
}

/** A dim argument normalised against a rank; reports index-range and returns undefined when out of range. */
export function axisArg(ctx: RuleContext, owner: string, dim: number, t: KnownTensor, what = "dim"): number | undefined {
  const rank = t.shape.length;
  // PyTorch lets a 0-d tensor take dim 0 or -1
  const axis = normalizeAxis(dim, Math.max(rank, 1));
  if (axis === undefined) {
    ctx.report(Message.dimOutOfRange({ op: owner, what, dim, tensor: argumentLabel(ctx, 0, "a tensor"), rank, shape: formatShape(t.shape), low: -Math.max(rank, 1), high: Math.max(rank, 1) - 1 }));
  }
  return axis;
}

/** A list of dims (int or tuple) normalised; undefined if any is out of range or not an int. */
export function axesArg(ctx: RuleContext, owner: string, v: Value, t: KnownTensor): number[] | undefined {
  const raw = v.kind === "tuple" || v.kind === "list" ? v.items : [v];
  const out: number[] = [];
  for (const item of raw) {
    const d = concreteInt(item);
    if (d === undefined) {
      ctx.note(`${owner}: dim ${pyRepr(item)} is not a concrete int`);
      return undefined;
    }
    const axis = axisArg(ctx, owner, d, t);
    if (axis === undefined) return undefined;
    out.push(axis);
  }
  return out;
}

/** A dtype from a torch.dtype value or a type string ("torch.FloatTensor", "float"). */
export function dtypeFrom(v: Value): DType | undefined {
  if (v.kind === "dtype") return v.dtype;
  if (v.kind === "str") {
    const name = v.value.replace(/^torch\.(cuda\.)?/, "");
    return typedTensorClasses[name] ?? dtypeAliases[name];
  }
  if (v.kind === "class") {
    // Python's float/int/bool given as dtype
    if (v.name === "float") return "float32";
    if (v.name === "int") return "int64";
    if (v.name === "bool") return "bool";
  }
  return undefined;
}

/** The dtype= keyword, or the fallback when None. */
export function dtypeArg(args: Args, name: string, fallback: DType): DType {
  const v = args.value(name);
  if (v.kind === "none") return fallback;
  return dtypeFrom(v) ?? fallback;
}

function category(d: DType): number {
  if (d === "bool") return 0;
  if (d === "complex64") return 3;
  return isFloatingDType(d) ? 2 : 1;
}

const rankOf: Record<DType, number> = {
  bool: 0,
  uint8: 1,
  int8: 2,
  int16: 3,
  int32: 4,
  int64: 5,
  float16: 6,
  bfloat16: 7,
  float32: 8,
  float64: 9,
  complex64: 10,
};

function promotePair(a: DType, b: DType): DType {
  if (a === b) return a;
  // float16 with bfloat16 gives float32, as in torch.promote_types
  if ((a === "float16" && b === "bfloat16") || (a === "bfloat16" && b === "float16")) return "float32";
  if ((a === "uint8" && b === "int8") || (a === "int8" && b === "uint8")) return "int16";
  return rankOf[a] >= rankOf[b] ? a : b;
}

/** An operand of an elementwise op, as the promotion rules see it. */
export type Operand = { readonly kind: "tensor"; readonly dtype: DType; readonly zeroDim: boolean } | { readonly kind: "scalar"; readonly dtype: DType };

/** The operand of a Value: tensors, Python numbers (int → int64, float → float32, bool → bool); undefined for others. */
export function operandOf(v: Value): Operand | undefined {
  if (v.kind === "tensor") return { kind: "tensor", dtype: v.dtype, zeroDim: v.shape !== undefined && v.shape.length === 0 };
  if (v.kind === "int") return { kind: "scalar", dtype: "int64" };
  if (v.kind === "float") return { kind: "scalar", dtype: "float32" };
  if (v.kind === "bool") return { kind: "scalar", dtype: "bool" };
  return undefined;
}

/** torch.result_type: dimensioned tensors outrank 0-d tensors, which outrank Python scalars, unless a lower tier has a higher category. */
export function resultType(operands: readonly Operand[]): DType {
  const tiers: DType[][] = [[], [], []];
  for (const o of operands) tiers[o.kind === "scalar" ? 2 : o.zeroDim ? 1 : 0].push(o.dtype);
  let result: DType | undefined;
  for (const tier of tiers) {
    if (tier.length === 0) continue;
    const best = tier.reduce(promotePair);
    if (result === undefined) result = best;
    else if (category(best) > category(result)) {
      // a scalar of a higher category gives that category's default type
      result = tier === tiers[2] ? (category(best) === 2 ? "float32" : category(best) === 1 ? "int64" : best) : best;
    }
  }
  return result ?? "float32";
}

/** A dtype that is floating: ints and bools become the default float type. */
export function floatingOf(d: DType): DType {
  return isFloatingDType(d) || d === "complex64" ? d : "float32";
}

/** Broadcast several shapes; on failure reports "broadcast" (with both shapes) and returns the first shape. */
export function broadcastAll(ctx: RuleContext, owner: string, shapes: readonly Shape[]): Shape {
  let out: Shape = shapes[0] ?? [];
  for (let i = 1; i < shapes.length; i++) {
    const r = broadcastShapes(out, shapes[i]);
    if (!r.ok) {
      const rank = Math.max(out.length, shapes[i].length);
      ctx.report(
        Message.broadcast({
          op: callLabel(ctx, owner),
          leftName: i === 1 ? argumentLabel(ctx, 0, "a") : "the others",
          left: formatShape(out),
          rightName: argumentLabel(ctx, i, i === 1 ? "b" : `operand ${i}`),
          right: formatShape(shapes[i]),
          leftSize: dimToString(r.left),
          rightSize: dimToString(r.right),
          dim: rank + r.axis,
        }),
      );
      return shapes[0];
    }
    out = r.shape;
  }
  return out;
}

/**
 * A view that folded the batch (its rows carry the fault) meets a tensor that
 * still has the true batch in the same leading position: that proves the fold.
 * The view's diagnostic becomes an error naming this op, which reports nothing
 * itself (one mistake, one diagnostic). Returns the tensors with the true batch
 * restored, so analysis goes on as the model meant; undefined when nothing is proven.
 */
export function provenFold(ctx: RuleContext, opLabel: () => string, tensors: readonly KnownTensor[]): KnownTensor[] | undefined {
  const folded = tensors.find((t) => t.origin?.suspect?.folded && t.shape.length > 0);
  const suspect = folded?.origin?.suspect;
  if (!folded || !suspect?.folded) return undefined;
  const { batch, rows } = suspect.folded;
  const meets = tensors.some((t) => t !== folded && t.shape.length === folded.shape.length && dimEquals(t.shape[0], batch) && !dimEquals(t.shape[0], rows));
  if (!meets) return undefined;
  const site = ctx.site;
  // the op as written is read (parsed) only now that it is said
  const op = opLabel();
  suspect.handle.confirm(Related.foldProvenClause({ op, line: site ? site.span.line + 1 : "?", batch: dimToString(batch) }));
  if (site) suspect.handle.relate(Related.foldProven({ op, batch: dimToString(batch) }), site);
  return tensors.map((t) => (t.origin?.suspect === suspect && dimEquals(t.shape[0], rows) ? { ...t, shape: [batch, ...t.shape.slice(1)] } : t));
}

const returnTypes = new Map<string, ClassValue>();

/** (values, indices) as PyTorch returns them: a torch.return_types namedtuple, so `.values` works. */
export function valuesIndices(op: string, values: Value, indices: Value): TupleValue {
  let cls = returnTypes.get(op);
  if (!cls) {
    const fields = ["values", "indices"];
    const attrs: Record<string, Value> = { _fields: tuple(fields.map(str)) };
    fields.forEach((f, i) => {
      attrs[f] = { kind: "property", func: native(`torch.return_types.${op}.${f}`, (c) => (c.args[0]?.kind === "tuple" ? c.args[0].items[i] : unknown(f))) };
    });
    cls = makeClass(op, [], attrs, undefined, "torch.return_types");
    returnTypes.set(op, cls);
  }
  return { kind: "tuple", items: [values, indices], namedtuple: cls };
}

function holdsUnknown(v: Value): boolean {
  if (v.kind === "unknown") return true;
  if (v.kind === "tuple" || v.kind === "list") return v.items.some(holdsUnknown);
  return false;
}

/**
 * An op rule. An argument that is an unknown value where a rule needs a concrete
 * int (args.int raises TypeError) makes the result unknown rather than an error.
 */
export function opRule(names: readonly string[], signature: string, apply: (args: Args, ctx: RuleContext) => Value): OpRule {
  return {
    names,
    signature,
    apply: (args, ctx) => {
      try {
        return apply(args, ctx);
      } catch (e) {
        if (e instanceof PyException && e.pyType === "TypeError" && [...args.values.values()].some(holdsUnknown))
          return unknownTensor(`${names[0]} with an argument whose value is unknown`);
        throw e;
      }
    },
  };
}
