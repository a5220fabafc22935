// Which input sizes make a symbolic size equal a layer's fixed one: a Linear of
// 512 in_features after a flatten of 8 × (H // 4) × (W // 4) fits H, W in 32–35.
// A proof that no positive integer fits (a divisibility argument) is what turns a
// symbolic mismatch into an error; otherwise the answer is the sizes that fit, or
// "not known". Searches are bounded, so nothing here can take long.
import { dimEvaluate, dimForm, dimToString, dimVariables, type Dim } from "./dim.js";

export type InputFit =
  /** sizes that fit: per variable in `variables` order, the ranges found (square search first) */
  | { readonly kind: "fits"; readonly variables: readonly string[]; readonly ranges: readonly (readonly [number, number])[][] }
  /** proven: no positive integer sizes fit, and why */
  | { readonly kind: "none"; readonly why: string }
  /** none found within the search bounds, not proven impossible */
  | { readonly kind: "not-found"; readonly bound: number }
  | { readonly kind: "not-symbolic" };

/** The largest size tried for each input dimension. */
export const searchBound = 4096;

function evaluateAt(d: Dim, variables: readonly string[], values: readonly number[]): number | undefined {
  return dimEvaluate(d, new Map(variables.map((v, i) => [v, values[i]] as const)));
}

/** Runs of consecutive integers, as [first, last] pairs. */
function runs(values: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const v of values) {
    const last = out[out.length - 1];
    if (last && last[1] === v - 1) last[1] = v;
    else out.push([v, v]);
  }
  return out;
}

/** The sizes t with d(t, t, ...) = target: square inputs. */
function squareFits(d: Dim, variables: readonly string[], target: number): number[] {
  const out: number[] = [];
  for (let t = 1; t <= searchBound; t++) {
    const v = evaluateAt(d, variables, variables.map(() => t));
    if (v === target) out.push(t);
  }
  return out;
}

/** For two variables and a non-decreasing d: the first row (first variable) with a run of the second that fits. */
function rectangularFit(d: Dim, variables: readonly string[], target: number): [[number, number], [number, number]] | undefined {
  const at = (a: number, b: number) => evaluateAt(d, variables, [a, b]) ?? Number.NaN;
  for (let a = 1; a <= 1024; a++) {
    // the first b with d(a, b) >= target, by bisection
    let lo = 1;
    let hi = searchBound;
    if (!(at(a, hi) >= target)) continue;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (at(a, mid) >= target) hi = mid;
      else lo = mid + 1;
    }
    if (at(a, lo) !== target) continue;
    let end = lo;
    while (end < searchBound && at(a, end + 1) === target) end++;
    let rowEnd = a;
    while (rowEnd < searchBound && at(rowEnd + 1, lo) === target && at(rowEnd + 1, end) === target) rowEnd++;
    return [
      [a, rowEnd],
      [lo, end],
    ];
  }
  return undefined;
}

/**
 * The positive integer values of `d`'s variables (listed in `order` first, e.g.
 * the model input's H, W) that make d equal `target`.
 */
export function inputsThatFit(d: Dim, target: number, order: readonly string[] = []): InputFit {
  if (typeof d === "number") return { kind: "not-symbolic" };
  const present = dimVariables(d);
  const variables = [...order.filter((v) => present.has(v)), ...[...present].filter((v) => !order.includes(v)).sort()];
  const form = dimForm(d);
  // d - constant is a multiple of gcd whatever the sizes: a target off that lattice never fits
  if (form.gcd > 1 && (target - form.constant) % form.gcd !== 0) {
    const multiple = form.constant === 0 ? `a multiple of ${form.gcd}` : `${form.constant} plus a multiple of ${form.gcd}`;
    return { kind: "none", why: `: it is always ${multiple}` };
  }
  if (!form.evaluable || variables.length === 0) return { kind: "not-found", bound: 0 };
  const square = squareFits(d, variables, target);
  if (square.length > 0) {
    const found = runs(square).slice(0, 2);
    return { kind: "fits", variables, ranges: variables.map(() => found) };
  }
  if (variables.length === 2 && form.monotone) {
    const rect = rectangularFit(d, variables, target);
    if (rect) return { kind: "fits", variables, ranges: [[rect[0]], [rect[1]]] };
  }
  return { kind: "not-found", bound: searchBound };
}

function rangeText([a, b]: readonly [number, number]): string {
  return a === b ? String(a) : `${a}–${b}`;
}

/** "32–35 × 32–35", "H = 100–103", "16–19 × 128–131". */
export function fitText(fit: Extract<InputFit, { kind: "fits" }>): string {
  if (fit.variables.length === 1) return `${fit.variables[0]} = ${fit.ranges[0].map(rangeText).join(" or ")}`;
  const alternatives = fit.ranges[0].map((_, i) => fit.ranges.map((r) => rangeText(r[i] ?? r[0])).join(" × "));
  return alternatives.join(" or ");
}

/** A size that must be a multiple of a divisor: an einops group (h p1) splitting H with p1 = 7. */
export interface Divisibility {
  readonly size: Dim;
  readonly divisor: number;
}

export type DivisibleFit =
  /** the input sizes that fit, per variable: multiples of `step` plus `offset` ("7k", "4k + 2") */
  | { readonly kind: "fits"; readonly variables: readonly { readonly name: string; readonly step: number; readonly offset: number }[] }
  /** proven: no positive integer sizes fit, and why */
  | { readonly kind: "none"; readonly why: string }
  | { readonly kind: "not-found"; readonly bound: number }
  /** the sizes that fit follow no pattern this solver states */
  | { readonly kind: "undecided" };

function gcd(a: number, b: number): number {
  return b === 0 ? Math.abs(a) : gcd(b, a % b);
}

/** The square inputs t (every variable t) that make `size` a multiple of `divisor`, as one progression. */
function divisibleProgression(c: Divisibility, variables: readonly string[]): { step: number; offset: number } | "none-found" | "irregular" {
  const fits: number[] = [];
  for (let t = 1; t <= searchBound; t++) {
    const v = evaluateAt(c.size, variables, variables.map(() => t));
    if (v !== undefined && ((v % c.divisor) + c.divisor) % c.divisor === 0) fits.push(t);
  }
  if (fits.length === 0) return "none-found";
  if (fits.length === 1) return "irregular";
  const step = fits[1] - fits[0];
  const offset = fits[0] % step;
  const fitting = new Set(fits);
  for (let t = fits[0]; t <= searchBound; t++) if ((t % step === offset) !== fitting.has(t)) return "irregular";
  return { step, offset };
}

/**
 * The input sizes (variables in `order` first) that make every size a multiple of
 * its divisor. Each constraint is solved over square inputs of its own variables;
 * constraints on one variable combine when both are plain multiples.
 */
export function inputsDivisible(constraints: readonly Divisibility[], order: readonly string[] = []): DivisibleFit {
  const steps = new Map<string, { step: number; offset: number }>();
  for (const c of constraints) {
    const form = dimForm(c.size);
    if (form.gcd > 0 && form.gcd % c.divisor === 0 && form.constant % c.divisor !== 0) {
      const multiple = form.constant === 0 ? `a multiple of ${form.gcd}` : `${form.constant} plus a multiple of ${form.gcd}`;
      return { kind: "none", why: `: ${dimToString(c.size)} is always ${multiple}` };
    }
    if (!form.evaluable) return { kind: "undecided" };
    const present = dimVariables(c.size);
    const variables = [...order.filter((v) => present.has(v)), ...[...present].filter((v) => !order.includes(v)).sort()];
    if (variables.length === 0) return { kind: "undecided" };
    const progression = divisibleProgression(c, variables);
    if (progression === "none-found") return { kind: "not-found", bound: searchBound };
    if (progression === "irregular") return { kind: "undecided" };
    for (const v of variables) {
      const before = steps.get(v);
      if (!before) steps.set(v, progression);
      else if (before.offset === 0 && progression.offset === 0) steps.set(v, { step: (before.step * progression.step) / gcd(before.step, progression.step), offset: 0 });
      else if (before.step !== progression.step || before.offset !== progression.offset) return { kind: "undecided" };
    }
  }
  const names = [...order.filter((v) => steps.has(v)), ...[...steps.keys()].filter((v) => !order.includes(v)).sort()];
  return { kind: "fits", variables: names.map((name) => ({ name, ...steps.get(name)! })) };
}

/** "7k × 7k", "H = 4k + 2". */
export function divisibleFitText(fit: Extract<DivisibleFit, { kind: "fits" }>): string {
  const one = (v: { step: number; offset: number; name: string }) => (v.step === 1 ? v.name : v.offset === 0 ? `${v.step}k` : `${v.step}k + ${v.offset}`);
  if (fit.variables.length === 1) return `${fit.variables[0].name} = ${one(fit.variables[0])}`;
  return fit.variables.map(one).join(" × ");
}
