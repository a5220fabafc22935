// A layer's fixed size against the size that arrives. Concrete sizes match or
// not; a symbolic size (the input was not given) is an equation in the input's
// sizes: it fits some inputs (an info naming them), provably none (an error), or
// none was found (a warning). A correct model never gets an error from here.
import { dimEquals, dimToString, dimVariables, isSymbolic, type Dim } from "../shapes/dim.js";
import { fitText, inputsThatFit, searchBound } from "../shapes/solve.js";
import type { RuleContext } from "./rule.js";

export type SizeVerdict =
  | { readonly kind: "match" }
  | { readonly kind: "mismatch" }
  /** symbolic: these inputs fit ("32–35 × 32–35") */
  | { readonly kind: "fits"; readonly inputs: string }
  /** symbolic, and no positive integer input fits; `why` completes "which no input size makes K" */
  | { readonly kind: "never"; readonly why: string }
  /** symbolic, and no fitting input was found within the search bound */
  | { readonly kind: "not-found"; readonly why: string }
  /** symbolic in a way we cannot solve: say nothing */
  | { readonly kind: "undecided" };

/** The model input's symbolic dims in order (H, W): how fitting sizes are listed. */
function inputVariables(ctx: RuleContext): string[] {
  const out: string[] = [];
  for (const input of ctx.facts?.inputs ?? []) for (const d of input.shape ?? []) for (const v of dimVariables(d)) if (!out.includes(v)) out.push(v);
  return out;
}

const cache = new Map<string, SizeVerdict>();

export function compareSize(ctx: RuleContext, actual: Dim, expected: number): SizeVerdict {
  if (dimEquals(actual, expected)) return { kind: "match" };
  if (!isSymbolic(actual)) return { kind: "mismatch" };
  const order = inputVariables(ctx);
  const key = `${dimToString(actual)}=${expected}|${order.join(",")}`;
  let verdict = cache.get(key);
  if (!verdict) {
    const fit = inputsThatFit(actual, expected, order);
    if (fit.kind === "fits") verdict = { kind: "fits", inputs: fitText(fit) };
    else if (fit.kind === "none") verdict = { kind: "never", why: fit.why };
    else if (fit.kind === "not-found" && fit.bound > 0) verdict = { kind: "not-found", why: ` (none up to ${searchBound} tried)` };
    else verdict = { kind: "undecided" };
    if (cache.size > 1000) cache.clear();
    cache.set(key, verdict);
  }
  return verdict;
}
