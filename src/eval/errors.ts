// Control signals of the evaluator that cross JavaScript frames.
import type { SourceLocation, Value } from "./values.js";

/** A Python exception in flight (`raise`, or a builtin's TypeError/KeyError/...). */
export class PyException extends Error {
  constructor(
    /** the exception class name (ValueError, ...) */
    readonly pyType: string,
    /** the message, as str(exc) would give it */
    readonly pyMessage: string,
    /** the exception object, when Python code created it */
    readonly value?: Value,
    readonly location?: SourceLocation,
  ) {
    super(`${pyType}: ${pyMessage}`);
  }
}

/** The analysis ran out of its step or depth budget: no input may hang it. */
export class BudgetExceeded extends Error {
  constructor(readonly what: string) {
    super(what);
  }
}
