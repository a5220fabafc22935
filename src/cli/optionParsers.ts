// Options that more than one command reads (--input, --depth), parsed once so that each command
// refuses a bad value with the same one-line message and exit 2.
import { InputSpecError, parseInputSpec } from "../analysis/inputSpec.js";
import type { InputSpec } from "../analysis/summary.js";
import { UsageError } from "./usageError.js";

/** Repeated --input options, one per forward() argument; none means each model's own input. */
export function parseInputOptions(texts: string[]): InputSpec[] | undefined {
  if (texts.length === 0) return undefined;
  try {
    return texts.map(parseInputSpec);
  } catch (e) {
    if (e instanceof InputSpecError) throw new UsageError(e.message);
    throw e;
  }
}

/** --depth: how many levels of nested modules to show. */
export function parseDepthOption(text: string): number {
  const depth = Number(text);
  if (!Number.isInteger(depth) || depth < 0) throw new UsageError(`--depth must be a non-negative integer, not '${text}'`);
  return depth;
}
