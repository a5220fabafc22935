// How large a sequence the evaluator builds. Python would allocate `[0] * 10**9`;
// materializing it here would take the time and memory budget of the whole file
// in one step, so a longer list, tuple or string is an unknown value with a note.
export const maxSequenceLength = 1_000_000;

/** Raised where a sequence past maxSequenceLength would be built; the operator that raised it notes it and gives an unknown. */
export class SequenceTooLong extends Error {
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
