// How large a value the evaluator builds. Python would allocate `[0] * 10**9` or
// compute `10 ** 10**9`; materializing either here would take the time and memory
// budget of the whole file in one step, so a longer list, tuple or string, or an
// integer past what a double holds exactly, is an unknown value with a note.
export const maxSequenceLength = 1_000_000;

/** A value too large to build: the operator that raised it notes it and gives an unknown. */
export class ValueTooLarge extends Error {}

/** Raised where a sequence past maxSequenceLength would be built. */
export class SequenceTooLong extends ValueTooLarge {
  constructor(
    readonly what: string,
    readonly length: number,
  ) {
    super(`a ${what} of ${length.toLocaleString("en-US")} items is past the analysis limit of ${maxSequenceLength.toLocaleString("en-US")}; its value is unknown`);
  }
}

/** Throws SequenceTooLong when a `what` of `length` items is past the limit. */
export function checkSequenceLength(what: string, length: number): void {
  if (length > maxSequenceLength) throw new SequenceTooLong(what, length);
}

/** Raised where an integer result would be past 2**53, which a double no longer holds exactly. */
export class IntegerTooLarge extends ValueTooLarge {
  constructor() {
    super("an integer past 2**53 is past the analysis limit; its value is unknown");
  }
}

/** The integer itself, or IntegerTooLarge when a double does not hold it exactly (or it is infinite). */
export function exactInteger(n: number): number {
  if (!Number.isSafeInteger(n)) throw new IntegerTooLarge();
  return n;
}

/** The highest power of a symbolic size that is expanded as a product (`N ** 3`). */
export const maxSymbolicPower = 64;

/**
 * The modules one analysis (a file's loading, or a model's build and forward pass) may build:
 * everything after the analysis (naming, counting and listing the modules) is linear in them
 * and runs after the budget's last reading. torchvision's largest model has about 1,000.
 */
export const maxModulesBuilt = 200_000;
