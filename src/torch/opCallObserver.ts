// Told of every op call (torch.X, F.X, Tensor methods and operators, einops) while
// a forward pass is traced, so the graph can connect each op to the tensors it took.
// Ops that an op runs for itself (einops stacking a list) are not told: one call, one op.
import type { Interpreter } from "../eval/interpreter.js";
import type { SourceLocation, Value } from "../eval/values.js";

export interface OpCallObserver {
  /** name: the op's qualified name ("torch.cat", "Tensor.__add__"); inputs: its arguments, self first */
  opCalled(name: string, inputs: readonly Value[], result: Value, site: SourceLocation | undefined): void;
}

const observers = new WeakMap<Interpreter, { readonly observer: OpCallObserver; running: number }>();

export function setOpCallObserver(interp: Interpreter, observer: OpCallObserver | undefined): void {
  if (observer) observers.set(interp, { observer, running: 0 });
  else observers.delete(interp);
}

/** Run an op; the observer, if one listens, is told of it unless it runs inside another op. inputs: asked only when one listens. */
export function observedOp(interp: Interpreter, name: string, inputs: () => readonly Value[], site: SourceLocation | undefined, run: () => Value): Value {
  const entry = observers.get(interp);
  if (!entry) return run();
  entry.running++;
  let result: Value;
  try {
    result = run();
  } finally {
    entry.running--;
  }
  if (entry.running === 0) entry.observer.opCalled(name, inputs(), result, site);
  return result;
}
