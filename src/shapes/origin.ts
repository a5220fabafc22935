// How a tensor's origin (tensor.ts: TensorOrigin) passes from an input to a
// result: the module it came out of always; the merged factors only while the
// shape is unchanged; an open fault while the dim it concerns is unchanged.
import { dimEquals } from "./dim.js";
import { shapesEqual } from "./shape.js";
import type { SuspectFault, Tensor, TensorOrigin } from "./tensor.js";

function keptSuspect(suspect: SuspectFault | undefined, source: Tensor, result: Tensor): SuspectFault | undefined {
  if (!suspect || !result.shape || !source.shape || result.shape.length === 0) return undefined;
  // folded rows can still meet the true batch later (a cat, a loss): keep while the first dim is the rows
  if (suspect.folded && dimEquals(result.shape[0], suspect.folded.rows)) return suspect;
  // the assumed K can still meet a layer that shares it: keep while the last dim is K
  const last = result.shape[result.shape.length - 1];
  return result.shape.length === source.shape.length && dimEquals(last, suspect.assumedFeatures) ? suspect : undefined;
}

/** The origin `result` inherits from `source`, its one tensor input (undefined: nothing to say). */
export function inheritedOrigin(result: Tensor, source: Tensor): TensorOrigin | undefined {
  const from = source.origin;
  if (!from) return undefined;
  const sameShape = result.shape !== undefined && source.shape !== undefined && shapesEqual(result.shape, source.shape);
  const origin: TensorOrigin = { after: from.after, merged: sameShape ? from.merged : undefined, suspect: keptSuspect(from.suspect, source, result) };
  return origin.after === undefined && origin.merged === undefined && origin.suspect === undefined ? undefined : origin;
}

/** A result with the origin of its input, unless its rule gave it one (a view that merged dims). */
export function withInheritedOrigin(result: Tensor, source: Tensor): Tensor {
  if (result.origin || result.isParameter || result === source) return result;
  const origin = inheritedOrigin(result, source);
  return origin ? { ...result, origin } : result;
}

/**
 * A module's output, marked as coming out of that module. A module that keeps
 * the shape (an activation, a norm) or only reshapes keeps the name before it:
 * "392 after pool2" says more than "392 after act2".
 */
export function afterModule(output: Tensor, input: Tensor | undefined, name: string): Tensor {
  if (output.isParameter) return output;
  const inherited = input && !output.origin ? withInheritedOrigin(output, input) : output;
  const keepsShape = input?.shape !== undefined && output.shape !== undefined && shapesEqual(input.shape, output.shape);
  if ((keepsShape || inherited.origin?.merged) && inherited.origin?.after) return inherited;
  if (inherited.origin?.after === name) return inherited;
  return { ...inherited, origin: { ...inherited.origin, after: name } };
}
