// Rule signatures ("in_features, out_features, bias=True, device=None") read without
// tree-sitter: they are parameter lists with literal defaults, and loading the
// parser for them would cost every run a fifth of node's own start even when all
// its files come from the syntax cache. Anything beyond that form gives undefined,
// and signature.ts parses it with tree-sitter as before; a test holds the two
// readings equal on every registered rule.
import type { ConstantExpr, Expr, Parameter, Span } from "../parse/ast.js";

const noSpan: Span = { line: 0, col: 0, endLine: 0, endCol: 0 };

/** The parameters of a rule signature, or undefined when it is not a plain list with literal defaults. */
export function readSignatureText(text: string): Parameter[] | undefined {
  const items = splitTopLevel(text);
  if (items === undefined) return undefined;
  const params: Parameter[] = [];
  let kwonly = false;
  for (const raw of items) {
    const item = raw.trim();
    if (item === "") return items.length === 1 ? params : undefined;
    if (item === "/") {
      for (let i = 0; i < params.length; i++) if (params[i].kind === "normal") params[i] = { ...params[i], kind: "posonly" };
      continue;
    }
    if (item === "*") {
      kwonly = true;
      continue;
    }
    const star = /^(\*\*?)([A-Za-z_]\w*)$/.exec(item);
    if (star) {
      params.push({ name: star[2], kind: star[1] === "*" ? "varargs" : "varkw", span: noSpan });
      if (star[1] === "*") kwonly = true;
      continue;
    }
    const m = /^([A-Za-z_]\w*)\s*(?:=\s*(.+))?$/s.exec(item);
    if (!m) return undefined;
    const kind = kwonly ? "kwonly" : "normal";
    if (m[2] === undefined) {
      params.push({ name: m[1], kind, span: noSpan });
      continue;
    }
    const value = literal(m[2].trim());
    if (value === undefined) return undefined;
    params.push({ name: m[1], kind, default: value, span: noSpan });
  }
  return params;
}

/** Items separated by top-level commas; undefined for brackets or quotes that do not close. */
function splitTopLevel(text: string): string[] | undefined {
  const items: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\") return undefined;
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "(") depth++;
    else if (c === ")") {
      if (--depth < 0) return undefined;
    } else if (c === "[" || c === "{" || c === "]" || c === "}" || c === ":" || c === "#" || c === "\n") return undefined;
    else if (c === "," && depth === 0) {
      items.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (quote || depth !== 0) return undefined;
  items.push(text.slice(start));
  // a trailing comma, as Python allows
  if (items.length > 1 && items[items.length - 1].trim() === "") items.pop();
  return items;
}

const constant = (value: ConstantExpr["value"]): ConstantExpr => ({ kind: "constant", span: noSpan, value });

/** A literal default: a number (negative too), a string, None, True, False, or a tuple of them. */
function literal(text: string): Expr | undefined {
  if (text === "None") return constant({ type: "none" });
  if (text === "True" || text === "False") return constant({ type: "bool", value: text === "True" });
  if (/^'[^'\\]*'$|^"[^"\\]*"$/.test(text)) return constant({ type: "str", value: text.slice(1, -1) });
  if (/^\d+$/.test(text)) return constant({ type: "int", value: Number(text) });
  if (/^(\d+\.\d*|\.\d+|\d+(\.\d*)?[eE][-+]?\d+)$/.test(text)) return constant({ type: "float", value: Number(text) });
  if (text.startsWith("-")) {
    const operand = literal(text.slice(1).trim());
    return operand?.kind === "constant" && (operand.value.type === "int" || operand.value.type === "float") ? { kind: "unary", span: noSpan, op: "-", operand } : undefined;
  }
  if (text.startsWith("(") && text.endsWith(")")) {
    const body = text.slice(1, -1);
    if (body.trim() === "") return { kind: "tuple", span: noSpan, elts: [] };
    const inner = splitTopLevel(body);
    if (inner === undefined) return undefined;
    const elts = inner.map((t) => literal(t.trim()));
    if (elts.some((e) => e === undefined)) return undefined;
    // (x) is x; (x,) is a tuple
    return inner.length > 1 || /,\s*$/.test(body) ? { kind: "tuple", span: noSpan, elts: elts as Expr[] } : elts[0];
  }
  return undefined;
}
