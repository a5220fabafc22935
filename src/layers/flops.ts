// Flops of a matrix product, as torch.utils.flop_counter counts them: 2 per
// multiply-add (one multiply, one add), nothing for elementwise work or biases.
import { dimAdd, dimMul, type Dim } from "../shapes/dim.js";

/** Combines known dims; undefined as soon as one is not known (a figure is never a guess). */
function fold(values: readonly (Dim | undefined)[], start: Dim, combine: (a: Dim, b: Dim) => Dim): Dim | undefined {
  let total = start;
  for (const v of values) {
    if (v === undefined) return undefined;
    total = combine(total, v);
  }
  return total;
}

/** 2 × the product of the factors (the multiply-adds of a product); undefined if any factor is not known. */
export function productFlops(...factors: readonly (Dim | undefined)[]): Dim | undefined {
  return fold(factors, 2, dimMul);
}

/** The sum of several products' flops; undefined if any is not known. */
export function sumFlops(...parts: readonly (Dim | undefined)[]): Dim | undefined {
  return fold(parts, 0, dimAdd);
}
