// The constructors of the builtin types: int(x), float(x), str(x), dict(...), set(...).
import { PyException } from "../errors.js";
import type { Interpreter } from "../interpreter.js";
import { numericValue, pyRepr, pyStr } from "../operators.js";
import { float, hashKey, int, makeDict, str, unknown, type NativeCall, type Value } from "../values.js";
import { items, requireInt } from "./collect.js";

export function toInt(call: NativeCall): Value {
  const x = call.args[0];
  if (!x) return int(0);
  if (x.kind === "float") return int(Math.trunc(x.value));
  if (x.kind === "str") {
    const base = call.args[1] ? requireInt(call.args[1], "base") : 10;
    const n = parseInt(x.value.trim(), base);
    if (Number.isNaN(n)) throw new PyException("ValueError", `invalid literal for int() with base ${base}: ${pyRepr(x)}`);
    return int(n);
  }
  const n = numericValue(x);
  if (n !== undefined) return int(n);
  if (x.kind === "tensor") {
    // int(t) is int(t.item()): known only for a one-element tensor of known value
    const item = call.interp.callValue(call.interp.getAttr(x, "item"), []);
    if (item.kind === "float") return int(Math.trunc(item.value));
    return item.kind === "int" || item.kind === "bool" ? int(numericValue(item)!) : unknown("int() of tensor data");
  }
  if (x.kind === "object") {
    const m = call.interp.lookupSpecial(x, "__int__") ?? call.interp.lookupSpecial(x, "__index__");
    if (m) return call.interp.callValue(m, []);
  }
  return unknown("int() of an unknown value");
}

export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function toFloat(x: Value | undefined): Value {
  if (!x) return float(0);
  if (x.kind === "float") return x;
  if (x.kind === "str") {
    const t = x.value.trim().toLowerCase();
    if (t === "inf" || t === "+inf") return float(Infinity);
    if (t === "-inf") return float(-Infinity);
    if (t === "nan") return float(NaN);
    return float(Number(t));
  }
  const n = numericValue(x);
  if (typeof n === "number") return float(n);
  return unknown("float() of a symbolic or unknown value");
}

/** str(x): an object's own __str__ (or __repr__) when its class has one. */
export function strOf(call: NativeCall): Value {
  const x = call.args[0];
  if (!x) return str("");
  return strOfValue(call.interp, x);
}

/** str(x) of a value: an object's own __str__ (or __repr__) when its class has one (an exception's message), else its text. */
export function strOfValue(interp: Interpreter, x: Value): Value {
  if (x.kind === "object") {
    const m = interp.lookupSpecial(x, "__str__") ?? interp.lookupSpecial(x, "__repr__");
    if (m) return interp.callValue(m, []);
  }
  return str(pyStr(x));
}

/** repr(x) of a value: an object's own __repr__ when its class has one, else its repr. */
export function reprOfValue(interp: Interpreter, x: Value): Value {
  if (x.kind === "object") {
    const m = interp.lookupSpecial(x, "__repr__");
    if (m) return interp.callValue(m, []);
  }
  return str(pyRepr(x));
}

export function dictFrom(call: NativeCall): Value {
  const d = makeDict();
  const src = call.args[0];
  if (src) {
    if (src.kind === "dict" || (src.kind === "object" && call.interp.lookupSpecial(src, "keys"))) {
      for (const [k, val] of call.interp.mappingEntries(src)) d.entries.set(hashKey(k), { key: k, value: val });
    } else {
      for (const pair of items(call.interp, src)) {
        const kv = items(call.interp, pair);
        d.entries.set(hashKey(kv[0]), { key: kv[0], value: kv[1] });
      }
    }
  }
  for (const [k, val] of call.kwargs) d.entries.set(hashKey(str(k)), { key: str(k), value: val });
  return d;
}

export function setFrom(interp: Interpreter, src: Value | undefined): Value {
  const entries = new Map<string, Value>();
  for (const x of src ? items(interp, src) : []) entries.set(hashKey(x), x);
  return { kind: "set", entries };
}

/**
 * round(x, ndigits) as Python does it: on the exact decimal value of the double
 * (2.675 is 2.67499999..., so 2.67), ties to even.
 */
export function roundToDigits(x: number, ndigits: number): number {
  if (!Number.isFinite(x)) return x;
  if (ndigits > 90) return x;
  if (ndigits < 0) {
    const f = 10 ** -ndigits;
    return roundHalfEven(x / f) * f;
  }
  const exact = Math.abs(x).toFixed(Math.min(100, ndigits + 40));
  const [whole, frac] = exact.split(".");
  const kept = `${whole}.${frac.slice(0, ndigits)}`;
  const rest = frac.slice(ndigits);
  const lastDigit = Number((ndigits === 0 ? whole : frac[ndigits - 1]).slice(-1));
  const up = rest[0] > "5" || (rest[0] === "5" && (/[1-9]/.test(rest.slice(1)) || lastDigit % 2 === 1));
  const magnitude = Number(kept) + (up ? 10 ** -ndigits : 0);
  const rounded = Number(magnitude.toFixed(ndigits));
  return x < 0 ? -rounded : rounded;
}
