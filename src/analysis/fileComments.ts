// The `# torchshape:` comments of a checked file, read once: those a class takes
// (by line), the one at the top of the file that every model without an input of
// its own takes, and those that could not be read (a diagnostic each, on its
// line, instead of failing the whole file).
import type { PyModule } from "../parse/ast.js";
import { InputSpecError, parseTorchshapeComment, type TorchshapeComment } from "./inputSpec.js";
import type { InputSpec } from "./summary.js";

export interface FileComments {
  /** readable comments by 0-based line */
  readonly byLine: ReadonlyMap<number, TorchshapeComment>;
  /** the inputs of a comment above the file's first statement: for every model that has none of its own */
  readonly fileInputs?: InputSpec[];
  /** the budget of a comment above the file's first statement: for every model without one of its own */
  readonly fileBudget?: string;
  /** comments that could not be read: their 0-based line and why */
  readonly unreadable: readonly { readonly line: number; readonly reason: string }[];
}

const cache = new WeakMap<PyModule, FileComments>();

export function fileCommentsOf(syntax: PyModule): FileComments {
  const known = cache.get(syntax);
  if (known) return known;
  const byLine = new Map<number, TorchshapeComment>();
  const unreadable: { line: number; reason: string }[] = [];
  for (const [line, text] of syntax.comments) {
    try {
      const parsed = parseTorchshapeComment(text);
      if (parsed) byLine.set(line, parsed);
    } catch (e) {
      if (!(e instanceof InputSpecError)) throw e;
      unreadable.push({ line, reason: e.message });
    }
  }
  // a module docstring may come first; the comment must be above the first statement after it
  const first = syntax.body.find((s, i) => !(i === 0 && s.kind === "expr" && s.value.kind === "constant" && s.value.value.type === "str"));
  const firstLine = first ? first.span.line : Number.POSITIVE_INFINITY;
  // a comment on the line just above a class (or its decorators) is that class's own
  const ownedByFirst = first?.kind === "class" ? first.span.line - 1 : -1;
  const above = [...byLine].filter(([line]) => line < firstLine && line !== ownedByFirst).sort((a, b) => a[0] - b[0]);
  const top = above.find(([, c]) => c.inputs.length > 0);
  const topBudget = above.find(([, c]) => c.budget !== undefined);
  const result: FileComments = { byLine, fileInputs: top?.[1].inputs, fileBudget: topBudget?.[1].budget, unreadable };
  cache.set(syntax, result);
  return result;
}
