// int's and float's methods and attributes-as-methods (Python 3.11 "Numeric Types").
// A symbolic int (a size that depends on the input) gives unknowns, never a guess.
import { PyException } from "../errors.js";
import { numericValue } from "../operators.js";
import { bool, float, int, str, tuple, unknown, type NativeCall, type Value } from "../values.js";
import type { MethodTable } from "./methodTables.js";

/** the receiver as a JS number, or undefined when it is symbolic */
function known(call: NativeCall): number | undefined {
  const n = numericValue(call.args[0]);
  return typeof n === "number" ? n : undefined;
}

function onKnownInt(what: string, fn: (n: number, call: NativeCall) => Value): (call: NativeCall) => Value {
  return (call) => {
    const n = known(call);
    return n === undefined ? unknown(`int.${what} of a symbolic value`) : fn(n, call);
  };
}

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}

/** a finite float as an exact fraction: doubles are dyadic rationals */
function floatRatio(x: number): [number, number] {
  if (!Number.isFinite(x)) throw new PyException(Number.isNaN(x) ? "ValueError" : "OverflowError", `cannot convert ${x} to integer ratio`);
  let num = x;
  let den = 1;
  while (!Number.isInteger(num)) {
    num *= 2;
    den *= 2;
  }
  const g = gcd(num, den) || 1;
  return [num / g, den / g];
}

/** float.hex(): Python's hexadecimal form, 0x1.8000000000000p+1 */
function floatHex(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  x = Math.abs(x);
  if (x === 0) return `${sign}0x0.0p+0`;
  let exp = Math.floor(Math.log2(x));
  if (x / 2 ** exp >= 2) exp++;
  if (x / 2 ** exp < 1) exp--;
  const subnormal = exp < -1022;
  if (subnormal) exp = -1022;
  const mantissa = x / 2 ** exp;
  const lead = Math.floor(mantissa);
  const frac = Math.round((mantissa - lead) * 2 ** 52);
  return `${sign}0x${lead}.${frac.toString(16).padStart(13, "0")}p${exp >= 0 ? "+" : ""}${exp}`;
}

function floatFromHex(s: string): number {
  const m = /^\s*([+-]?)(?:0x)?([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?\s*$/i.exec(s);
  if (/^\s*[+-]?(inf|infinity)\s*$/i.test(s)) return s.includes("-") ? -Infinity : Infinity;
  if (/^\s*[+-]?nan\s*$/i.test(s)) return NaN;
  if (!m || (m[2] === "" && !m[3])) throw new PyException("ValueError", "invalid hexadecimal floating-point string");
  const [, sign, whole, frac = "", exp = "0"] = m;
  let value = whole ? parseInt(whole, 16) : 0;
  for (let i = 0; i < frac.length; i++) value += parseInt(frac[i], 16) / 16 ** (i + 1);
  value *= 2 ** Number(exp);
  return sign === "-" ? -value : value;
}

export const intMethods: MethodTable = {
  as_integer_ratio: (call) => {
    const n = numericValue(call.args[0]);
    return n === undefined ? unknown("int.as_integer_ratio of an unknown value") : tuple([int(n), int(1)]);
  },
  bit_count: onKnownInt("bit_count", (n) => int([...Math.abs(n).toString(2)].filter((c) => c === "1").length)),
  bit_length: onKnownInt("bit_length", (n) => int(n === 0 ? 0 : Math.abs(n).toString(2).length)),
  conjugate: (call) => (call.args[0].kind === "bool" ? int(Number(call.args[0].value)) : call.args[0]),
  from_bytes: () => unknown("int.from_bytes reads bytes, which are not modelled"),
  to_bytes: () => unknown("int.to_bytes gives bytes, which are not modelled"),
};

export const floatMethods: MethodTable = {
  as_integer_ratio: (call) => {
    const [num, den] = floatRatio((call.args[0] as { value: number }).value);
    return tuple([int(num), int(den)]);
  },
  conjugate: (call) => call.args[0],
  fromhex: (call) => float(floatFromHex(pyText(call.args[call.args.length - 1]))),
  hex: (call) => str(floatHex((call.args[0] as { value: number }).value)),
  is_integer: (call) => bool(Number.isInteger((call.args[0] as { value: number }).value)),
};

function pyText(v: Value | undefined): string {
  if (v?.kind !== "str") throw new PyException("TypeError", "fromhex() argument must be str");
  return v.value;
}
