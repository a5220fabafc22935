// An einops transformation (rearrange, reduce, repeat) as einops prepares and
// applies it, over sizes that may be symbolic. Preparing checks the pattern
// against the operation and the input's rank (EinopsError, einops' wording);
// applying binds each elementary axis to a size (from the input, given as a
// keyword, an anonymous number, or solved as the one unknown of its group) and
// gives the output shape, or the groups whose sizes do not fit.
import { dimDivExact, dimEquals, dimFloorDiv, dimProduct, isSymbolic, type Dim } from "../../shapes/dim.js";
import { axisNameProblem, ELLIPSIS, einopsError, parseExpression, splitArrow, type Axis, type ParsedExpression } from "./pattern.js";

export const reductions = ["min", "max", "sum", "mean", "prod", "any", "all"] as const;
export type Reduction = (typeof reductions)[number];
export type Operation = "rearrange" | "repeat" | Reduction;

export interface Recipe {
  readonly pattern: string;
  readonly operation: Operation;
  readonly left: ParsedExpression;
  /** the input's axes, the ellipsis expanded (…0, …1, ...) */
  readonly leftComposition: readonly (readonly Axis[])[];
  readonly rightComposition: readonly (readonly Axis[])[];
  /** axes the right side adds (repeat): their sizes come from keywords or numbers */
  readonly addedAxes: readonly Axis[];
}

export function isReduction(op: string): op is Reduction {
  return (reductions as readonly string[]).includes(op);
}

function setDifference<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): T[] {
  return [...a].filter((x) => !b.has(x));
}

/** Python's repr of a set of axis names: {'h', 'w'}. */
function setText(axes: readonly Axis[]): string {
  return `{${axes.map((a) => (typeof a === "string" ? `'${a}'` : `${a.size}-axis`)).join(", ")}}`;
}

/** The number of input dimensions the pattern's left side names without its ellipsis. */
export function fixedRank(left: ParsedExpression): number {
  return left.composition.length - (left.hasEllipsis ? 1 : 0);
}

/** einops' _prepare_transformation_recipe: every check that needs only the pattern and the rank. */
export function prepareRecipe(pattern: string, operation: Operation, axesNames: readonly string[], ndim: number): Recipe {
  const [leftText, rightText] = splitArrow(pattern);
  const left = parseExpression(leftText);
  const right = parseExpression(rightText);
  if (!left.hasEllipsis && right.hasEllipsis) throw einopsError(`Ellipsis found in right side, but not left side of a pattern ${pattern}`);
  if (left.hasEllipsis && left.hasEllipsisParenthesized) throw einopsError(`Ellipsis inside parenthesis in the left side is not allowed: ${pattern}`);
  if (operation === "rearrange") {
    if (left.hasNonUnitaryAnonymousAxes || right.hasNonUnitaryAnonymousAxes) throw einopsError("Non-unitary anonymous axes are not supported in rearrange (exception is length 1)");
    const difference = [...setDifference(left.identifiers, right.identifiers), ...setDifference(right.identifiers, left.identifiers)];
    if (difference.length > 0) throw einopsError(`Identifiers only on one side of expression (should be on both): ${setText(difference)}`);
  } else if (operation === "repeat") {
    const difference = setDifference(left.identifiers, right.identifiers);
    if (difference.length > 0) throw einopsError(`Unexpected identifiers on the left side of repeat: ${setText(difference)}`);
    const withoutSize = [...right.identifiers].filter((a) => typeof a === "string" && !left.identifiers.has(a) && !axesNames.includes(a));
    if (withoutSize.length > 0) throw einopsError(`Specify sizes for new axes in repeat: ${setText(withoutSize)}`);
  } else if (isReduction(operation)) {
    const difference = setDifference(right.identifiers, left.identifiers);
    if (difference.length > 0) throw einopsError(`Unexpected identifiers on the right side of reduce ${operation}: ${setText(difference)}`);
  } else {
    throw einopsError(`Unknown reduction ${operation}. Expect one of ('min', 'max', 'sum', 'mean', 'prod', 'any', 'all').`);
  }

  let leftComposition: Axis[][];
  let rightComposition: Axis[][];
  const leftIds = new Set(left.identifiers);
  const rightIds = new Set(right.identifiers);
  if (left.hasEllipsis) {
    const others = left.composition.length - 1;
    if (ndim < others) throw einopsError(`Wrong shape: expected >=${others} dims. Received ${ndim}-dim tensor.`);
    const ellipsisAxes = Array.from({ length: ndim - others }, (_, i) => `${ELLIPSIS}${i}`);
    leftComposition = left.composition.flatMap((c) => (c === ELLIPSIS ? ellipsisAxes.map((a) => [a]) : [[...c]]));
    rightComposition = right.composition.flatMap((c) => (c === ELLIPSIS ? ellipsisAxes.map((a) => [a]) : [c.flatMap((a) => (a === ELLIPSIS ? ellipsisAxes : [a]))]));
    leftIds.delete(ELLIPSIS);
    for (const a of ellipsisAxes) leftIds.add(a);
    if (right.hasEllipsis) {
      rightIds.delete(ELLIPSIS);
      for (const a of ellipsisAxes) rightIds.add(a);
    }
  } else {
    if (ndim !== left.composition.length) throw einopsError(`Wrong shape: expected ${left.composition.length} dims. Received ${ndim}-dim tensor.`);
    leftComposition = left.composition.map((c) => [...(c as readonly Axis[])]);
    rightComposition = right.composition.map((c) => [...(c as readonly Axis[])]);
  }

  const known = new Set<Axis>();
  const all = new Set<Axis>();
  for (const group of leftComposition)
    for (const axis of group) {
      all.add(axis);
      if (typeof axis !== "string") known.add(axis);
    }
  const addedAxes: Axis[] = [];
  for (const axis of rightIds)
    if (!all.has(axis)) {
      all.add(axis);
      addedAxes.push(axis);
    }
  for (const name of axesNames) {
    if (axisNameProblem(name) !== undefined) throw einopsError(`('Invalid name for an axis', '${name}')`);
    if (!all.has(name)) throw einopsError(`Axis ${name} is not used in transform`);
    known.add(name);
  }
  for (const group of leftComposition) {
    const unknown = group.filter((a) => !known.has(a));
    if (unknown.length > 1) throw einopsError(`Could not infer sizes for ${setText(unknown)}`);
  }
  return { pattern, operation, left, leftComposition, rightComposition, addedAxes };
}

/** Where an elementary axis's size came from. */
export type SizeSource = "input" | "keyword" | "number" | "solved";

export interface BoundAxis {
  readonly axis: Axis;
  readonly size: Dim;
  readonly source: SizeSource;
}

/** An input dimension whose size its group cannot take. */
export interface GroupFault {
  /** "product": every axis of the group has a size, and they do not multiply to the dimension's; "indivisible": the known ones do not divide it */
  readonly kind: "product" | "indivisible";
  /** the input dimension */
  readonly dim: number;
  readonly length: Dim;
  readonly group: readonly Axis[];
  /** the axes of the group whose sizes were given */
  readonly known: readonly BoundAxis[];
  readonly knownProduct: Dim;
  /** the axis left to solve (indivisible) */
  readonly unknown?: Axis;
}

export interface Applied {
  readonly shape: readonly Dim[];
  readonly axes: ReadonlyMap<Axis, BoundAxis>;
  /** groups that do not fit; for a symbolic size, what it would take is the caller's to decide */
  readonly faults: readonly GroupFault[];
}

/** einops' _reconstruct_from_shape: bind every axis, then the output's sizes. */
export function applyRecipe(recipe: Recipe, shape: readonly Dim[], lengths: ReadonlyMap<string, Dim>): Applied {
  const axes = new Map<Axis, BoundAxis>();
  const faults: GroupFault[] = [];
  const given = (axis: Axis): BoundAxis | undefined => {
    if (typeof axis !== "string") return { axis, size: axis.size, source: "number" };
    const size = lengths.get(axis);
    return size === undefined ? undefined : { axis, size, source: "keyword" };
  };
  recipe.leftComposition.forEach((group, dim) => {
    const length = shape[dim];
    const known = group.map(given).filter((b): b is BoundAxis => b !== undefined);
    for (const b of known) axes.set(b.axis, b);
    const unknown = group.find((a) => given(a) === undefined);
    const knownProduct = dimProduct(known.map((b) => b.size));
    if (unknown === undefined) {
      if (!dimEquals(knownProduct, length)) faults.push({ kind: "product", dim, length, group, known, knownProduct });
      return;
    }
    if (known.length === 0) {
      axes.set(unknown, { axis: unknown, size: length, source: "input" });
      return;
    }
    const exact = dimDivExact(length, knownProduct);
    if (exact === undefined) faults.push({ kind: "indivisible", dim, length, group, known, knownProduct, unknown });
    // a symbolic size may still divide for the inputs that run: go on with the floor, as einops' length // known_product
    const solved = exact ?? (isSymbolic(length) || isSymbolic(knownProduct) ? dimFloorDiv(length, knownProduct) : Math.floor((length as number) / (knownProduct as number)));
    axes.set(unknown, { axis: unknown, size: solved, source: "solved" });
  });
  for (const axis of recipe.addedAxes) {
    const b = given(axis);
    if (b) axes.set(axis, b);
  }
  const out = recipe.rightComposition.map((group) => dimProduct(group.map((a) => axes.get(a)?.size ?? 1)));
  return { shape: out, axes, faults };
}
