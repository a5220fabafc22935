// einops-pattern diagnostics: the groups of one call whose sizes do not fit,
// in one message naming each dimension, its size and story, the divisor and
// where it came from (a keyword or a number in the pattern), with a fix: the
// nearest sizes that divide, and the divisors of the size that arrived.
// Symbolic sizes are solved for the inputs that fit ("7k × 7k").
import { Clause, Fix, Message } from "../../diagnostics/messages.js";
import { dimToString, dimVariables, isSymbolic, type Dim } from "../../shapes/dim.js";
import { formatShape } from "../../shapes/shape.js";
import { divisibleFitText, inputsDivisible, searchBound, type Divisibility } from "../../shapes/solve.js";
import type { Tensor } from "../../shapes/tensor.js";
import { compareSize } from "../expectSize.js";
import { sizeStory } from "../describe.js";
import type { RuleContext } from "../rule.js";
import { axisText, compositeText } from "./pattern.js";
import type { BoundAxis, GroupFault, Recipe } from "./recipe.js";

/** "p1=7", "h × p1 = 4 × 7 = 28", "3" (a number in the pattern). */
function divisorText(known: readonly BoundAxis[], product: Dim): string {
  const one = (b: BoundAxis) => (b.source === "number" ? axisText(b.axis) : `${axisText(b.axis)}=${dimToString(b.size)}`);
  if (known.length === 1) return one(known[0]);
  return `${known.map((b) => axisText(b.axis)).join(" × ")} = ${known.map((b) => dimToString(b.size)).join(" × ")} = ${dimToString(product)}`;
}

/** The divisors of n above 1, found in pairs up to its square root; undefined past 10**12 (a million steps), where no one wants the list. */
function divisorsOf(n: number): number[] | undefined {
  if (n > 1e12) return undefined;
  const small: number[] = [];
  const large: number[] = [];
  for (let d = 1; d * d <= n; d++) {
    if (n % d !== 0) continue;
    if (d > 1) small.push(d);
    if (d * d !== n) large.unshift(n / d);
  }
  return [...small, ...large];
}

/** The model input's symbolic dims in order (N, H, W): how fitting sizes are listed. */
function inputVariables(ctx: RuleContext): string[] {
  const out: string[] = [];
  for (const input of ctx.facts?.inputs ?? []) for (const d of input.shape ?? []) for (const v of dimVariables(d)) if (!out.includes(v)) out.push(v);
  return out;
}

/** The fix for concrete sizes: the nearest multiples around each size, and the keyword values that divide it. */
function concreteFix(ctx: RuleContext, x: Tensor, tensor: string, faults: readonly GroupFault[]): string | undefined {
  const indivisible = faults.filter((f) => f.kind === "indivisible" && typeof f.length === "number" && typeof f.knownProduct === "number");
  if (indivisible.length === 0) return undefined;
  const around = (f: GroupFault) => {
    const k = f.knownProduct as number;
    const n = f.length as number;
    return [Math.floor(n / k) * k, Math.ceil(n / k) * k].filter((m) => m > 0);
  };
  const parts: string[] = [];
  const isModelInput = ctx.facts?.inputs.some((i) => i === x) ?? false;
  if (isModelInput) {
    const options = [0, 1].map((i) => indivisible.map((f) => around(f)[i] ?? around(f)[0]));
    const unique = [...new Set(options.map((o) => o.join(" × ")))];
    parts.push(Fix.einopsSizes({ sizes: unique.join(" or ") }));
  } else {
    for (const f of indivisible) parts.push(Fix.einopsDimension({ dim: f.dim, tensor, sizes: around(f).join(" or "), divisor: dimToString(f.knownProduct) }));
  }
  // a keyword alone in its group could take another value: the divisors of the size
  const byDivisors = new Map<string, string[]>();
  for (const f of indivisible) {
    const keywords = f.known.filter((b) => b.source === "keyword");
    const all = divisorsOf(f.length as number);
    if (keywords.length !== 1 || f.known.length !== 1 || !all) continue;
    const divisors = `{${all.join(", ")}}`;
    byDivisors.set(divisors, [...(byDivisors.get(divisors) ?? []), axisText(keywords[0].axis)]);
  }
  const divisorParts = [...byDivisors].map(([divisors, axes]) => Fix.einopsDivisors({ axes: axes.join(", "), divisors }));
  if (divisorParts.length > 0) parts.push(divisorParts.join(" and "));
  return parts.join(", or ");
}

/**
 * Report the groups of one call that do not fit. Concrete faults are errors;
 * symbolic ones are an info naming the inputs that fit, an error when none can,
 * a warning when none was found. Returns whether the output can be trusted.
 */
export function reportGroupFaults(ctx: RuleContext, subject: string, tensor: string, x: Tensor, recipe: Recipe, faults: readonly GroupFault[]): boolean {
  if (faults.length === 0) return true;
  const left = recipe.left.composition.map(compositeText).join(" ");
  const shape = formatShape(x.shape);
  const groupText = (f: GroupFault) => `(${f.group.map(axisText).join(" ")})`;
  const concrete = faults.filter((f) => !isSymbolic(f.length) && !isSymbolic(f.knownProduct));
  if (concrete.length > 0) {
    const texts = concrete.map((f) => {
      const params = { length: sizeStory(ctx, x, f.dim), divisor: divisorText(f.known, f.knownProduct), dim: f.dim, group: groupText(f) };
      return f.kind === "indivisible" ? Clause.einopsIndivisible(params) : Clause.einopsProduct(params);
    });
    ctx.report(Message.einopsGroups({ subject, tensor, shape, left, faults: texts.join("; ") }), { fix: concreteFix(ctx, x, tensor, concrete) });
    return false;
  }
  // symbolic: a product that must equal a number is solved as a Linear's in_features is; a split, for the inputs it divides
  const divisibility: Divisibility[] = [];
  const texts: string[] = [];
  let never: string | undefined;
  let notFound = false;
  let productFits: string | undefined;
  for (const f of faults) {
    if (typeof f.knownProduct !== "number") return true; // sizes given symbolically: nothing to solve
    const params = { length: dimToString(f.length), divisor: divisorText(f.known, f.knownProduct), dim: f.dim, group: groupText(f) };
    if (f.kind === "product") {
      const verdict = compareSize(ctx, f.length, f.knownProduct);
      if (verdict.kind === "never") never = verdict.why;
      else if (verdict.kind === "not-found") notFound = true;
      else if (verdict.kind === "fits") productFits = verdict.inputs;
      else return true;
      texts.push(Clause.einopsProduct(params));
      continue;
    }
    texts.push(Clause.einopsDivisibleWhen(params));
    divisibility.push({ size: f.length, divisor: f.knownProduct });
  }
  // a product and a split in one call: which inputs satisfy both is not stated
  if (productFits !== undefined && divisibility.length > 0) return true;
  const fit = divisibility.length > 0 ? inputsDivisible(divisibility, inputVariables(ctx)) : undefined;
  const faultText = texts.join("; ");
  if (never !== undefined || fit?.kind === "none") {
    ctx.report(Message.einopsGroupsNever({ subject, tensor, shape, left, faults: faultText, why: never ?? (fit?.kind === "none" ? fit.why : "") }));
    return false;
  }
  if (notFound || fit?.kind === "not-found") {
    ctx.report(Message.einopsGroupsNever({ subject, tensor, shape, left, faults: faultText, why: ` (none up to ${searchBound} tried)` }), { severity: "warning" });
    return true;
  }
  const fits = fit?.kind === "fits" ? divisibleFitText(fit) : productFits;
  if (fits !== undefined) ctx.report(Message.einopsGroupsFit({ subject, tensor, shape, left, faults: faultText, fits }), { severity: "info" });
  return true;
}
