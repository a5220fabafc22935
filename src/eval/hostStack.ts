// The JavaScript stack the analysis runs on. A worker thread with a large stack
// follows Python's recursion limit of 1,000 calls, but starting one costs about as
// much as node's own start; so the CLI first runs on the main thread's small stack,
// and if the stack runs out there, the run is thrown away and redone on a large one.
// On a small stack, running out is never a result (a cut or a note): it is recorded
// here, whoever catches the error, so the host knows to redo the run.

let small = false;
let exhausted = false;

/** Said by the host before the analysis starts: this thread's stack is node's default. */
export function runOnSmallStack(): void {
  small = true;
  exhausted = false;
}

/** Whether the stack ran out on a small stack since runOnSmallStack(): the run must be redone on a large stack. */
export function smallStackExhausted(): boolean {
  return exhausted;
}

/** Thrown instead of a cut when a small stack runs out; nothing of the run is kept. */
export class SmallStackExhausted extends Error {
  constructor() {
    super("the JavaScript stack ran out on the main thread; the run is redone on a large stack");
  }
}

/** Whether `e` is JavaScript's stack running out (compared as a plain string: a regular expression compiled here could itself overflow). */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && e.message === "Maximum call stack size exceeded";
}

/**
 * Where the stack ran out: on a small stack, records it and gives the error that
 * abandons the run; on a large one, undefined (the caller reports its cut).
 */
export function stackOverflowOnSmallStack(): SmallStackExhausted | undefined {
  if (!small) return undefined;
  exhausted = true;
  return new SmallStackExhausted();
}
