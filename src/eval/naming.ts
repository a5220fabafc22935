// How values and expressions are named in notes and error messages.
import type * as A from "../parse/ast.js";
import type { Value } from "./values.js";

/** Python's name for a value's type. */
export function typeName(v: Value): string {
  switch (v.kind) {
    case "object":
      return v.cls.name;
    case "class":
      return "type";
    case "none":
      return "NoneType";
    case "native":
    case "boundmethod":
      return "builtin_function_or_method";
    default:
      return v.kind;
  }
}

/** "an unknown value (why)" or "a value of type T", for notes. */
export function describe(v: Value): string {
  if (v.kind === "unknown") return `an unknown value (${v.why})`;
  return `a value of type '${typeName(v)}'`;
}

/** The source text of a simple expression (names and attributes), for messages. */
export function exprText(e: A.Expr): string {
  switch (e.kind) {
    case "name":
      return e.id;
    case "attribute":
      return `${exprText(e.value)}.${e.attr}`;
    case "call":
      return `${exprText(e.func)}(...)`;
    case "subscript":
      return `${exprText(e.value)}[...]`;
    default:
      return e.kind;
  }
}
