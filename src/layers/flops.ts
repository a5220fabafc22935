// Flops of a matrix product, as torch.utils.flop_counter counts them: 2 per
// multiply-add (one multiply, one add), nothing for elementwise work or biases.
import { dimAdd, dimMul, type Dim } from "../shapes/dim.js";

/** 2 × the product of the factors (the multiply-adds of a product); undefined if any factor is not known. */
export function productFlops(...factors: readonly (Dim | undefined)[]): Dim | undefined {
  let total: Dim = 2;
  for (const f of factors) {
    if (f === undefined) return undefined;
    total = dimMul(total, f);
  }
  return total;
}

/** The sum of several products' flops; undefined if any is not known. */
export function sumFlops(...parts: readonly (Dim | undefined)[]): Dim | undefined {
  let total: Dim = 0;
  for (const p of parts) {
    if (p === undefined) return undefined;
    total = dimAdd(total, p);
  }
  return total;
}
