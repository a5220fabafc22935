// Rule signatures are written as Python parameter lists, as in PyTorch's docs
// ("in_features, out_features, bias=True, device=None, dtype=None"), parsed once
// with the same parser as user code (or, for the plain ones, without loading it: signatureText.ts).
import type { Expr, Parameter } from "../parse/ast.js";
import { parsePython } from "../parse/parser.js";
import { readSignatureText } from "./signatureText.js";
import { bool, float, int, NONE, str, tuple, type Value } from "../eval/values.js";

export interface Signature {
  readonly params: readonly Parameter[];
  readonly defaults: ReadonlyMap<string, Value>;
}

const cache = new Map<string, Signature>();

export function parseSignature(text: string): Signature {
  let sig = cache.get(text);
  if (sig) return sig;
  const params = readSignatureText(text) ?? parsedParameters(text);
  const defaults = new Map<string, Value>();
  for (const p of params) if (p.default) defaults.set(p.name, literal(p.default, text));
  sig = { params, defaults };
  cache.set(text, sig);
  return sig;
}

/** A signature read by the Python parser: what readSignatureText does not read. */
export function parsedParameters(text: string): readonly Parameter[] {
  const def = parsePython(`def _(${text}): pass\n`).body[0];
  if (def?.kind !== "def") throw new Error(`bad rule signature: ${text}`);
  return def.params;
}

/** Defaults in rule signatures are literals: numbers, strings, None, booleans, tuples. */
function literal(e: Expr, text: string): Value {
  switch (e.kind) {
    case "constant":
      switch (e.value.type) {
        case "int":
          return int(e.value.value);
        case "float":
          return float(e.value.value);
        case "str":
          return str(e.value.value);
        case "bool":
          return bool(e.value.value);
        case "none":
          return NONE;
        default:
          break;
      }
      break;
    case "unary":
      if (e.op === "-") {
        const v = literal(e.operand, text);
        if (v.kind === "int" && typeof v.value === "number") return int(-v.value);
        if (v.kind === "float") return float(-v.value);
      }
      break;
    case "tuple":
      return tuple(e.elts.map((x) => literal(x, text)));
    default:
      break;
  }
  throw new Error(`rule signature default is not a literal: ${text}`);
}
