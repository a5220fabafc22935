// Who sees each torch op's result while a forward pass is traced: the analysis counts
// the tensors the ops between layers allocate (activations a training step keeps).
import type { Interpreter } from "../eval/interpreter.js";
import type { Value } from "../eval/values.js";

export type OpObserver = (qualifiedName: string, bound: ReadonlyMap<string, Value>, result: Value) => void;

const observers = new WeakMap<Interpreter, OpObserver>();

/** Set by the analysis per model for its forward pass; undefined removes it. */
export function setOpObserver(interp: Interpreter, observer: OpObserver | undefined): void {
  if (observer) observers.set(interp, observer);
  else observers.delete(interp);
}

export function observeOp(interp: Interpreter, qualifiedName: string, bound: ReadonlyMap<string, Value>, result: Value): void {
  observers.get(interp)?.(qualifiedName, bound, result);
}
