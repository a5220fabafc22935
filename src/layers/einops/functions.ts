// einops' functions on abstract tensors: rearrange, reduce and repeat through
// one recipe; einsum as torch.einsum on the compact letters einops makes of its
// named axes; pack, unpack and parse_shape. A pattern the tensor cannot satisfy
// is an einops-pattern diagnostic and an unknown result, never a guess.
import { PyException } from "../../eval/errors.js";
import { dimAdd, dimEquals, dimProduct, dimSub, type Dim } from "../../shapes/dim.js";
import { formatShape } from "../../shapes/shape.js";
import { makeTensor, unknownTensor, type Tensor } from "../../shapes/tensor.js";
import { Message } from "../../diagnostics/messages.js";
import type { RuleContext } from "../rule.js";
import { reportGroupFaults } from "./diagnose.js";
import { compositeText, ELLIPSIS, einopsError, parseExpression, splitArrow } from "./pattern.js";
import { applyRecipe, fixedRank, prepareRecipe, type Operation } from "./recipe.js";

/** How a call's pieces read in messages: the call or layer, and the tensor it received. */
export interface Labels {
  readonly subject: string;
  readonly tensor: string;
}

function isEinopsError(e: unknown): e is PyException {
  return e instanceof PyException && (e.pyType === "EinopsError" || e.pyType === "ValueError");
}

/** rearrange / reduce / repeat of one tensor (a list is stacked first, as einops does). */
export function transform(ctx: RuleContext, x: Tensor, pattern: string, operation: Operation, lengths: ReadonlyMap<string, Dim>, labels: Labels): Tensor {
  if (!x.shape) return unknownTensor(x.unknownReason ?? "input shape unknown", x.dtype);
  let recipe;
  try {
    recipe = prepareRecipe(pattern, operation, [...lengths.keys()], x.shape.length);
  } catch (e) {
    if (!isEinopsError(e)) throw e;
    if (e.pyMessage.startsWith("Wrong shape")) {
      const left = parseExpression(splitArrow(pattern)[0]);
      const expected = left.hasEllipsis ? `at least ${fixedRank(left)}` : String(fixedRank(left));
      ctx.report(Message.einopsRank({ subject: labels.subject, left: left.composition.map(compositeText).join(" "), expected, tensor: labels.tensor, rank: x.shape.length, shape: formatShape(x.shape) }));
    } else {
      ctx.report(Message.einopsPattern({ subject: labels.subject, error: e.pyMessage }));
    }
    return unknownTensor(`${operation} '${pattern}': ${e.pyMessage}`, x.dtype);
  }
  const applied = applyRecipe(recipe, x.shape, lengths);
  const trusted = reportGroupFaults(ctx, labels.subject, labels.tensor, x, recipe, applied.faults);
  return trusted ? makeTensor(applied.shape, x.dtype) : unknownTensor(`${operation} '${pattern}' does not fit shape ${formatShape(x.shape)}`, x.dtype);
}

/** The equation torch.einsum gets: einops' named axes as letters, in order of appearance ('b h i d, b h j d -> b h i j' → 'abcd,abed->abce'). */
export function compactEinsumPattern(pattern: string): string {
  if (!pattern.includes("->")) throw new PyException("ValueError", "Einsum pattern must contain '->'.");
  const [leftsText, rightText] = splitArrow(pattern);
  const lefts = leftsText.split(",").map((l) => parseExpression(l, { allowUnderscore: true, allowDuplicates: true }));
  const right = parseExpression(rightText, { allowUnderscore: true });
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const mapping = new Map<string, string>();
  const letterOf = (c: (typeof right.composition)[number], create: boolean): string => {
    if (c === ELLIPSIS) return "...";
    if (c.length === 0) throw new PyException("NotImplementedError", "Singleton () axes are not yet supported in einsum.");
    if (c.length > 1) throw new PyException("NotImplementedError", "Shape rearrangement is not yet supported in einsum.");
    const axis = c[0];
    if (typeof axis !== "string") throw new PyException("NotImplementedError", "Anonymous axes are not yet supported in einsum.");
    let letter = mapping.get(axis);
    if (letter === undefined) {
      if (!create) throw einopsError(`Unknown axis ${axis} on right side of einsum ${pattern}.`);
      if (mapping.size >= letters.length) throw new PyException("RuntimeError", "Too many axes in einsum.");
      letter = letters[mapping.size];
      mapping.set(axis, letter);
    }
    return letter;
  };
  const left = lefts.map((l) => l.composition.map((c) => letterOf(c, true)).join("")).join(",");
  return `${left}->${right.composition.map((c) => letterOf(c, false)).join("")}`;
}

/** pack's pattern: the axes before and after its one '*'. */
function starPattern(pattern: string, op: string): { before: number; after: number } {
  const axes = pattern.split(/\s+/).filter(Boolean);
  if (new Set(axes).size !== axes.length) throw einopsError(`Duplicates in axes names in ${op}(..., "${pattern}")`);
  const star = axes.indexOf("*");
  if (star < 0) throw einopsError(`No *-axis in ${op}(..., "${pattern}")`);
  for (const a of axes) if (a !== "*" && !/^[A-Za-z]\w*$/.test(a)) throw einopsError(`Invalid axis name ${a} in ${op}(..., "${pattern}")`);
  return { before: star, after: axes.length - star - 1 };
}

/** pack(tensors, 'b * c'): the packed tensor, and the star part of each shape. */
export function pack(ctx: RuleContext, tensors: readonly Tensor[], pattern: string, subject: string): { packed: Tensor; shapes: (readonly Dim[] | undefined)[] } {
  const { before, after } = starPattern(pattern, "pack");
  const shapes: (readonly Dim[] | undefined)[] = [];
  let outer: readonly Dim[] | undefined;
  let total: Dim = 0;
  let known = true;
  tensors.forEach((t, i) => {
    if (!t.shape) {
      known = false;
      shapes.push(undefined);
      return;
    }
    if (t.shape.length < before + after) {
      ctx.report(Message.einopsPattern({ subject, error: `packed tensor #${i} (enumeration starts with 0) has shape ${formatShape(t.shape)}, while pattern ${pattern} assumes at least ${before + after} axes` }));
      known = false;
      shapes.push(undefined);
      return;
    }
    const star = t.shape.slice(before, t.shape.length - after);
    shapes.push(star);
    total = dimAdd(total, dimProduct(star));
    const rest = [...t.shape.slice(0, before), ...t.shape.slice(t.shape.length - after)];
    outer ??= rest;
  });
  const dtype = tensors[0]?.dtype ?? "float32";
  if (!known || !outer) return { packed: unknownTensor(`pack(..., '${pattern}') of tensors of unknown shape`, dtype), shapes };
  return { packed: makeTensor([...outer.slice(0, before), total, ...outer.slice(before)], dtype), shapes };
}

/** unpack(tensor, packed_shapes, 'b * c'): one tensor per packed shape (one of which may hold a -1). */
export function unpack(ctx: RuleContext, x: Tensor, packedShapes: readonly (readonly Dim[])[], pattern: string, subject: string): Tensor[] {
  const { before, after } = starPattern(pattern, "unpack");
  const unknownAll = (why: string) => packedShapes.map(() => unknownTensor(why, x.dtype));
  if (!x.shape) return unknownAll(x.unknownReason ?? "input shape unknown");
  if (x.shape.length !== before + after + 1) {
    ctx.report(Message.einopsPattern({ subject, error: `unpack(..., ${pattern}) received input of wrong dim with shape ${formatShape(x.shape)}` }));
    return unknownAll("unpack of a tensor of the wrong rank");
  }
  const length = x.shape[before];
  const products = packedShapes.map((s) => (s.some((d) => d === -1) ? undefined : dimProduct(s)));
  const inferred = products.filter((p) => p === undefined).length;
  const knownSum = products.reduce<Dim>((acc, p) => (p === undefined ? acc : dimAdd(acc, p)), 0);
  let shapes = packedShapes;
  if (inferred === 1) {
    const i = products.indexOf(undefined);
    const rest = dimProduct(packedShapes[i].filter((d) => d !== -1));
    const missing = dimSub(length, knownSum);
    const solved = typeof missing === "number" && typeof rest === "number" ? missing / rest : undefined;
    if (solved === undefined || !Number.isInteger(solved) || solved < 0) return unknownAll("unpack with an inferred size");
    shapes = packedShapes.map((s, j) => (j === i ? s.map((d) => (d === -1 ? solved : d)) : s));
  } else if (inferred === 0 && !dimEquals(knownSum, length) && typeof length === "number" && typeof knownSum === "number") {
    ctx.report(Message.einopsPattern({ subject, error: `could not split axis of size ${length} into requested ${packedShapes.map((s) => formatShape(s)).join(", ")}` }));
    return unknownAll("unpack sizes do not add up");
  }
  return shapes.map((s) => makeTensor([...x.shape!.slice(0, before), ...s, ...x.shape!.slice(before + 1)], x.dtype));
}

/** parse_shape(x, 'b _ h w'): each named axis's size; '_' skips, '...' skips any number. */
export function parseShape(shape: readonly Dim[], pattern: string): [string, Dim][] {
  const expression = parseExpression(pattern, { allowUnderscore: true });
  if (expression.composition.some((c) => c !== ELLIPSIS && c.length > 1)) throw new PyException("RuntimeError", `Can't parse shape with composite axes: ${pattern} ${formatShape(shape)}`);
  const n = expression.composition.length;
  if (shape.length !== n && (!expression.hasEllipsis || shape.length < n - 1))
    throw new PyException("RuntimeError", `Can't parse shape with ${expression.hasEllipsis ? "this" : "different"} number of dimensions: ${pattern} ${formatShape(shape)}`);
  const composition = expression.hasEllipsis
    ? expression.composition.flatMap((c) => (c === ELLIPSIS ? Array.from({ length: shape.length - n + 1 }, () => ["_"]) : [c]))
    : expression.composition;
  const out: [string, Dim][] = [];
  composition.forEach((c, i) => {
    const axis = (c as readonly unknown[])[0];
    if (typeof axis === "string" && axis !== "_") out.push([axis, shape[i]]);
  });
  return out;
}
