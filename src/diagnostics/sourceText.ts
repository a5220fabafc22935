// The source text behind a location, and the parts of a call as written
// (`x.view(-1, 8 * 8 * 8)` → receiver `x`, arguments `-1` and `8 * 8 * 8`), so
// messages quote the user's own expressions instead of our numbers.
import type { Expr, Span } from "../parse/ast.js";
import { parseExpressionText } from "../parse/parser.js";

/** The text of a span of a file's source (spans are 0-based, end exclusive). */
export function textOfSpan(source: string, span: Span): string | undefined {
  const lines = linesOf(source);
  if (span.line >= lines.length || span.endLine >= lines.length || span.endLine < span.line) return undefined;
  if (span.line === span.endLine) return lines[span.line].slice(span.col, span.endCol);
  return [lines[span.line].slice(span.col), ...lines.slice(span.line + 1, span.endLine), lines[span.endLine].slice(0, span.endCol)].join("\n");
}

// Messages quote code from several files in turn (a model and the packages it
// imports): keep each file's lines, not only the last one's.
const linesBySource = new Map<string, string[]>();

function linesOf(source: string): string[] {
  let lines = linesBySource.get(source);
  if (!lines) {
    if (linesBySource.size > 64) linesBySource.clear();
    linesBySource.set(source, (lines = source.split("\n")));
  }
  return lines;
}

/** A call's parts as source text. */
export interface CallText {
  /** the callee as written: `nn.Linear`, `x.view`, `torch.flatten` */
  readonly callee: string;
  /** for a method call, the object: `x` in `x.view(...)` */
  readonly receiver?: string;
  /** positional arguments as written, with their spans in the snippet */
  readonly args: readonly { readonly text: string; readonly span: Span }[];
  readonly keywords: ReadonlyMap<string, { readonly text: string; readonly span: Span }>;
  /** the whole call as written */
  readonly text: string;
}

/** A binary operation's operands as written: `a + b`. */
export interface BinaryText {
  readonly left: string;
  readonly right: string;
  readonly text: string;
}

// Labels are asked for the same call sites again and again (every run of a loop body).
const parsedExpressions = new Map<string, Expr | undefined>();

function parseExpression(text: string): Expr | undefined {
  if (parsedExpressions.has(text)) return parsedExpressions.get(text);
  if (parsedExpressions.size > 10_000) parsedExpressions.clear();
  const e = parseExpressionText(text.includes("\n") ? `(${text})` : text);
  parsedExpressions.set(text, e);
  return e;
}

/** The snippet text of a span inside a parsed snippet (parenthesised snippets shift the first line by one). */
function slice(snippet: string, span: Span, shifted: boolean): string {
  const shift = (line: number, col: number) => (shifted && line === 0 ? col - 1 : col);
  return textOfSpan(snippet, { line: span.line, col: shift(span.line, span.col), endLine: span.endLine, endCol: shift(span.endLine, span.endCol) }) ?? "";
}

/** The parts of a call written at a location, from its text; undefined when the text is not a call. */
export function callText(text: string): CallText | undefined {
  const shifted = text.includes("\n");
  const e = parseExpression(text);
  if (e?.kind !== "call") return undefined;
  const unshift = (s: Span): Span => (shifted ? { line: s.line, col: s.line === 0 ? s.col - 1 : s.col, endLine: s.endLine, endCol: s.endLine === 0 ? s.endCol - 1 : s.endCol } : s);
  return {
    callee: slice(text, e.func.span, shifted),
    receiver: e.func.kind === "attribute" ? slice(text, e.func.value.span, shifted) : undefined,
    args: e.args.map((a) => ({ text: slice(text, a.span, shifted), span: unshift(a.span) })),
    keywords: new Map(e.keywords.flatMap((k) => (k.name === undefined ? [] : [[k.name, { text: slice(text, k.value.span, shifted), span: unshift(k.value.span) }] as const]))),
    text,
  };
}

/** The operands of a binary operation written at a location. */
export function binaryText(text: string): BinaryText | undefined {
  const shifted = text.includes("\n");
  const e = parseExpression(text);
  if (e?.kind !== "binop") return undefined;
  return { left: slice(text, e.left.span, shifted), right: slice(text, e.right.span, shifted), text };
}

/** The elements of a list or tuple display as written: `[x, skip]` → `x`, `skip`. */
export function sequenceElements(text: string): string[] | undefined {
  const shifted = text.includes("\n");
  const e = parseExpression(text);
  if (e?.kind !== "list" && e?.kind !== "tuple") return undefined;
  return e.elts.map((x) => slice(text, x.span, shifted));
}

/** Replace a span of a snippet with new text. */
export function replaceSpan(snippet: string, span: Span, replacement: string): string {
  const lines = snippet.split("\n");
  const before = [...lines.slice(0, span.line), lines[span.line].slice(0, span.col)].join("\n");
  const after = [lines[span.endLine].slice(span.endCol), ...lines.slice(span.endLine + 1)].join("\n");
  return `${before}${replacement}${after}`;
}

/** An expression short and simple enough to name a tensor in a message: `x`, `out[0]`, `self.proj(h)`. */
export function isQuotable(text: string, limit = 32): boolean {
  return text.length > 0 && text.length <= limit && !text.includes("\n");
}
