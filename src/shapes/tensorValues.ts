// The known elements of small tensors built from known numbers (torch.arange(16),
// torch.tensor([1, 2])), kept beside the tensor rather than in it: a tensor
// object has its values only where an op computed them, so any copy or view
// made by a rule that does not compute values simply has none.
import type { Tensor } from "./tensor.js";

/** Tensors with more elements than this are never folded. */
export const maxKnownElements = 4096;

const known = new WeakMap<Tensor, readonly number[]>();

/** The elements of a tensor in row-major order, when known. */
export function tensorValues(t: Tensor): readonly number[] | undefined {
  return known.get(t);
}

/** Record a tensor's elements (ignored unless they fit its known, concrete shape). */
export function setTensorValues(t: Tensor, values: readonly number[]): Tensor {
  const n = concreteNumel(t);
  if (n !== undefined && n === values.length && n <= maxKnownElements) known.set(t, values);
  return t;
}

/** An in-place change whose effect is not computed: the old elements no longer hold. */
export function forgetTensorValues(t: Tensor): void {
  known.delete(t);
}

export function concreteNumel(t: Tensor): number | undefined {
  if (!t.shape) return undefined;
  let n = 1;
  for (const d of t.shape) {
    if (typeof d !== "number") return undefined;
    n *= d;
  }
  return n;
}

/** The elements of rows first..first+count-1 along the first axis, when the tensor's are known. */
export function leadingRowValues(t: Tensor, first: number, count: number): readonly number[] | undefined {
  const values = known.get(t);
  if (!values || !t.shape || t.shape.length === 0) return undefined;
  const rows = t.shape[0];
  if (typeof rows !== "number" || rows === 0) return undefined;
  const size = values.length / rows;
  return values.slice(first * size, (first + count) * size);
}
