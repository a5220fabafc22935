// How many elements of a boolean mask are true depends on its values: a
// data-dependent size. It is one size per mask, whichever op asks: x[mask] and
// torch.where(mask)[0] of the same mask have the same length.
import { SymDim, type Dim } from "./dim.js";
import type { Tensor } from "./tensor.js";

const counts = new WeakMap<Tensor, Dim>();

/** The number of true elements of `mask` (named after the op that asks first). */
export function trueCount(mask: Tensor, what: string): Dim {
  let n = counts.get(mask);
  if (!n) counts.set(mask, (n = SymDim.dataDependent(what)));
  return n;
}
