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

  /** Python's args, when the evaluator raised it and they are not just its message (a KeyError's key) */
  pyArgs?: readonly Value[];

  /** the innermost statement running when the evaluator raised it (set once, by the statement it passes through first) */
  raisedAt?: SourceLocation;

  /** Raised by the analysed code itself (a `raise` statement, a failed assertion), not by the evaluator's own emulation of Python. */
  get raisedByCode(): boolean {
    return this.value !== undefined || this.pyType === "AssertionError";
  }

  /** Where it was raised, as far as known. */
  get where(): SourceLocation | undefined {
    return this.location ?? this.raisedAt;
  }
}

/** The analysis ran out of its step or depth budget: no input may hang it. */
export class BudgetExceeded extends Error {
  /** how many budgets stopped an analysis on this thread: an outcome a budget touched, even one caught, depends on the machine's speed and memory, so check never stores it for reuse */
  static raised = 0;

  constructor(readonly what: string) {
    super(what);
    BudgetExceeded.raised++;
  }
}
