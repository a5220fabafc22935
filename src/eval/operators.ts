// Arithmetic, comparison and truthiness of the plain Python values. Tensors are
// dispatched to torch's rules by the interpreter before these run.
import type { BinaryOperator } from "../parse/ast.js";
import { dimAdd, dimCompareEq, dimFloorDiv, dimGreater, dimMod, dimMul, dimSub, type Dim } from "../shapes/dim.js";
import { PyException } from "./errors.js";
import { checkSequenceLength, exactInteger, IntegerTooLarge, maxSymbolicPower } from "./sizeLimits.js";
import { float, hashKey, int, list, str, tuple, unknown, type Value } from "./values.js";
import { tensorValues } from "../shapes/tensorValues.js";
import { compareVersions, parseVersion } from "./versionOrder.js";

export function numericValue(v: Value): Dim | undefined {
  if (v.kind === "int") return v.value;
  if (v.kind === "bool") return v.value ? 1 : 0;
  return undefined;
}

function concreteNumber(v: Value): number | undefined {
  if (v.kind === "float") return v.value;
  const n = numericValue(v);
  return typeof n === "number" ? n : undefined;
}

function pyFloorMod(a: number, b: number): number {
  return a - Math.floor(a / b) * b;
}

/** The result of `a op b` for numbers, strings and sequences; undefined when the operands are not of these kinds. */
export function primitiveBinary(op: BinaryOperator, a: Value, b: Value): Value | undefined {
  const ia = numericValue(a);
  const ib = numericValue(b);
  if (ia !== undefined && ib !== undefined) return intBinary(op, ia, ib);
  const fa = concreteNumber(a);
  const fb = concreteNumber(b);
  if ((a.kind === "float" || b.kind === "float") && (ia !== undefined || fa !== undefined) && (ib !== undefined || fb !== undefined)) {
    if (fa === undefined || fb === undefined) return unknown("float arithmetic on a symbolic size");
    return floatBinary(op, fa, fb);
  }
  if (a.kind === "str" && b.kind === "str" && op === "+") {
    checkSequenceLength("str", a.value.length + b.value.length);
    return str(a.value + b.value);
  }
  if (a.kind === "str" && op === "*" && typeof ib === "number") {
    checkSequenceLength("str", a.value.length * Math.max(0, ib));
    return str(a.value.repeat(Math.max(0, ib)));
  }
  if (b.kind === "str" && op === "*" && typeof ia === "number") return primitiveBinary(op, b, a);
  if (a.kind === "str" && op === "%") return str(percentFormat(a.value, b));
  if (a.kind === "list" && b.kind === "list" && op === "+") {
    checkSequenceLength("list", a.items.length + b.items.length);
    return list([...a.items, ...b.items]);
  }
  if (a.kind === "tuple" && b.kind === "tuple" && op === "+") {
    checkSequenceLength("tuple", a.items.length + b.items.length);
    return tuple([...a.items, ...b.items]);
  }
  if ((a.kind === "list" || a.kind === "tuple") && op === "*" && typeof ib === "number") {
    checkSequenceLength(a.kind, a.items.length * Math.max(0, ib));
    const n = a.items.length;
    const items: Value[] = new Array(n * Math.max(0, ib));
    for (let k = 0; k < items.length; k++) items[k] = a.items[k % n]!;
    return a.kind === "list" ? list(items) : tuple(items);
  }
  if ((b.kind === "list" || b.kind === "tuple") && op === "*" && typeof ia === "number") return primitiveBinary(op, b, a);
  if (a.kind === "dict" && b.kind === "dict" && op === "|") {
    const entries = new Map(a.entries);
    for (const [k, e] of b.entries) entries.set(k, e);
    return { kind: "dict", entries };
  }
  if (a.kind === "set" && b.kind === "set") return setBinary(op, a.entries, b.entries);
  return undefined;
}

/** An integer result, IntegerTooLarge when it is past what the evaluator holds exactly. */
function exactInt(d: Dim): Value {
  return int(typeof d === "number" ? exactInteger(d) : d);
}

function intBinary(op: BinaryOperator, a: Dim, b: Dim): Value {
  switch (op) {
    case "+":
      return exactInt(dimAdd(a, b));
    case "-":
      return exactInt(dimSub(a, b));
    case "*":
      return exactInt(dimMul(a, b));
    case "//":
      if (b === 0) throw new PyException("ZeroDivisionError", "integer division or modulo by zero");
      return int(dimFloorDiv(a, b));
    case "%":
      if (b === 0) throw new PyException("ZeroDivisionError", "integer division or modulo by zero");
      return int(dimMod(a, b));
    case "/":
      if (typeof a === "number" && typeof b === "number") {
        if (b === 0) throw new PyException("ZeroDivisionError", "division by zero");
        return float(a / b);
      }
      return unknown("true division of a symbolic size");
    case "**":
      if (typeof a === "number" && typeof b === "number") return b >= 0 ? exactInt(a ** b) : float(a ** b);
      if (typeof b === "number" && b > maxSymbolicPower) throw new IntegerTooLarge();
      if (typeof b === "number" && b >= 0 && Number.isInteger(b)) {
        let r: Dim = 1;
        for (let k = 0; k < b; k++) r = dimMul(r, a);
        return int(r);
      }
      return unknown("power of a symbolic size");
    default:
      if (typeof a !== "number" || typeof b !== "number") return unknown(`'${op}' on a symbolic size`);
      switch (op) {
        case "&":
          return int(a & b);
        case "|":
          return int(a | b);
        case "^":
          return int(a ^ b);
        case "<<":
          return exactInt(a * 2 ** b);
        case ">>":
          return int(Math.floor(a / 2 ** b));
        default:
          return unknown(`'${op}' on integers`);
      }
  }
}

function floatBinary(op: BinaryOperator, a: number, b: number): Value {
  switch (op) {
    case "+":
      return float(a + b);
    case "-":
      return float(a - b);
    case "*":
      return float(a * b);
    case "/":
      if (b === 0) throw new PyException("ZeroDivisionError", "float division by zero");
      return float(a / b);
    case "//":
      return float(Math.floor(a / b));
    case "%":
      return float(pyFloorMod(a, b));
    case "**":
      return float(a ** b);
    default:
      throw new PyException("TypeError", `unsupported operand type(s) for ${op}: 'float'`);
  }
}

function setBinary(op: BinaryOperator, a: Map<string, Value>, b: Map<string, Value>): Value | undefined {
  const out = new Map<string, Value>();
  if (op === "|") {
    for (const [k, v] of a) out.set(k, v);
    for (const [k, v] of b) out.set(k, v);
  } else if (op === "&") {
    for (const [k, v] of a) if (b.has(k)) out.set(k, v);
  } else if (op === "-") {
    for (const [k, v] of a) if (!b.has(k)) out.set(k, v);
  } else return undefined;
  return { kind: "set", entries: out };
}

function percentFormat(template: string, args: Value): string {
  const values = args.kind === "tuple" ? [...args.items] : [args];
  return template.replace(/%([-+ 0#]*\d*(?:\.\d+)?)([sdrifg%])/g, (_m, _flags: string, conv: string) => {
    if (conv === "%") return "%";
    const v = values.shift();
    return v ? pyStr(v) : "";
  });
}

/** Python equality; undefined when it cannot be decided (symbolic sizes, unknown values). */
export function pyEquals(a: Value, b: Value): boolean | undefined {
  const versions = torchVersionOrder(a, b);
  if (versions !== undefined) return versions === 0;
  if (a.kind === "unknown" || b.kind === "unknown") return undefined;
  const na = numericValue(a) ?? (a.kind === "float" ? a.value : undefined);
  const nb = numericValue(b) ?? (b.kind === "float" ? b.value : undefined);
  if (na !== undefined && nb !== undefined) return dimCompareEq(na, nb);
  if (a.kind !== b.kind) {
    if ((a.kind === "list" || a.kind === "tuple") && (b.kind === "list" || b.kind === "tuple")) return false;
    return a.kind === "tensor" || b.kind === "tensor" ? undefined : false;
  }
  switch (a.kind) {
    case "none":
    case "ellipsis":
      return true;
    case "str":
      return a.value === (b as typeof a).value;
    case "dtype":
      return a.dtype === (b as typeof a).dtype;
    case "tuple":
    case "list": {
      const bi = (b as typeof a).items;
      if (a.items.length !== bi.length) return false;
      let result: boolean | undefined = true;
      for (let i = 0; i < bi.length; i++) {
        const e = pyEquals(a.items[i], bi[i]);
        if (e === false) return false;
        if (e === undefined) result = undefined;
      }
      return result;
    }
    case "dict":
    case "set":
      return hashKey(a) === hashKey(b) || undefined;
    default:
      return a === b;
  }
}

/** A TorchVersion's other operand as a version string: a str, or a tuple of numbers (2, 0) read as "2.0". */
function versionOperand(v: Value): string | undefined {
  if (v.kind === "str") return v.value;
  if (v.kind === "tuple" || v.kind === "list") {
    const parts = v.items.map((x) => (x.kind === "str" ? x.value : numericValue(x)));
    return parts.every((p) => typeof p === "number" || typeof p === "string") ? parts.join(".") : undefined;
  }
  return undefined;
}

/** a vs b when one is a TorchVersion (torch.__version__): -1, 0 or 1 as versions; undefined when it does not apply. */
function torchVersionOrder(a: Value, b: Value): -1 | 0 | 1 | undefined {
  if (!(a.kind === "str" && a.comparesAsVersion) && !(b.kind === "str" && b.comparesAsVersion)) return undefined;
  const x = versionOperand(a);
  const y = versionOperand(b);
  const vx = x === undefined ? undefined : parseVersion(x);
  const vy = y === undefined ? undefined : parseVersion(y);
  // TorchVersion falls back to comparing as text when the other side is no version
  return vx && vy ? compareVersions(vx, vy) : undefined;
}

/** a < b for numbers, strings and sequences. */
export function pyLess(a: Value, b: Value): boolean | undefined {
  const versions = torchVersionOrder(a, b);
  if (versions !== undefined) return versions < 0;
  const na = numericValue(a) ?? (a.kind === "float" ? a.value : undefined);
  const nb = numericValue(b) ?? (b.kind === "float" ? b.value : undefined);
  if (na !== undefined && nb !== undefined) return dimGreater(nb, na);
  if (a.kind === "str" && b.kind === "str") return a.value < b.value;
  if ((a.kind === "tuple" || a.kind === "list") && (b.kind === "tuple" || b.kind === "list")) {
    const n = Math.min(a.items.length, b.items.length);
    for (let i = 0; i < n; i++) {
      const eq = pyEquals(a.items[i], b.items[i]);
      if (eq === undefined) return undefined;
      if (!eq) return pyLess(a.items[i], b.items[i]);
    }
    return a.items.length < b.items.length;
  }
  if (a.kind === "unknown" || b.kind === "unknown") return undefined;
  return undefined;
}

export function pyFloatRepr(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return `${x}.0`;
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const s = String(x);
  // Python writes small exponents with two digits: 1e-05
  return s.replace(/e([+-])(\d)$/, "e$10$2");
}

/** str(v) */
export function pyStr(v: Value): string {
  switch (v.kind) {
    case "str":
      return v.value;
    default:
      return pyRepr(v);
  }
}

/** repr of a str, as Python writes it: single quotes unless the text has one and no double quote; escapes */
function strRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escapes: Record<string, string> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", [quote]: `\\${quote}` };
  let out = "";
  for (const c of text) {
    const code = c.codePointAt(0)!;
    if (escapes[c]) out += escapes[c];
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += c;
  }
  return quote + out + quote;
}

/** repr(v) */
export function pyRepr(v: Value): string {
  switch (v.kind) {
    case "none":
      return "None";
    case "ellipsis":
      return "Ellipsis";
    case "bool":
      return v.value ? "True" : "False";
    case "int":
      return String(v.value);
    case "float":
      return pyFloatRepr(v.value);
    case "str":
      return strRepr(v.value);
    case "tuple":
      return v.items.length === 1 ? `(${pyRepr(v.items[0])},)` : `(${v.items.map(pyRepr).join(", ")})`;
    case "list":
      return `[${v.items.map(pyRepr).join(", ")}]`;
    case "set":
      return `{${[...v.entries.values()].map(pyRepr).join(", ")}}`;
    case "dict":
      return `{${[...v.entries.values()].map((e) => `${pyRepr(e.key)}: ${pyRepr(e.value)}`).join(", ")}}`;
    case "dtype":
      return `torch.${v.dtype}`;
    case "class":
      return `<class '${v.qualname}'>`;
    case "function":
      return `<function ${v.qualname}>`;
    case "object":
      return `<${v.cls.name} object>`;
    case "tensor":
      return `tensor(shape=[${v.shape ? v.shape.map(String).join(", ") : "?"}])`;
    case "unknown":
      return "<unknown>";
    case "range":
      return `range(${v.start}, ${v.stop}${v.step !== 1 ? `, ${v.step}` : ""})`;
    default:
      return `<${v.kind}>`;
  }
}

/** format(v, spec) for the common specs: d, f, .Nf, e, %, widths */
export function pyFormat(v: Value, spec: string | undefined): string {
  if (!spec) return pyStr(v);
  const m = /^([<>^]?)(\d*)(?:,)?(?:\.(\d+))?([dfeEs%g]?)$/.exec(spec);
  if (!m) return pyStr(v);
  const [, , width, precision, type] = m;
  let s: string;
  const n = v.kind === "float" ? v.value : v.kind === "int" && typeof v.value === "number" ? v.value : undefined;
  if (n !== undefined && (type === "f" || (precision && !type))) s = n.toFixed(precision ? Number(precision) : 6);
  else if (n !== undefined && type === "e") s = n.toExponential(precision ? Number(precision) : 6);
  else if (n !== undefined && type === "%") s = `${(n * 100).toFixed(precision ? Number(precision) : 6)}%`;
  else s = pyStr(v);
  return width ? s.padStart(Number(width)) : s;
}

export function truthOfPrimitive(v: Value): boolean | undefined {
  switch (v.kind) {
    case "none":
      return false;
    case "bool":
      return v.value;
    case "int":
      return typeof v.value === "number" ? v.value !== 0 : dimGreater(v.value, 0) === true ? true : undefined;
    case "float":
      return v.value !== 0;
    case "str":
      return v.value.length > 0;
    case "tuple":
    case "list":
      return v.items.length > 0;
    case "dict":
    case "set":
      return v.entries.size > 0;
    case "range":
      return rangeLength(v.start, v.stop, v.step) > 0;
    case "tensor": {
      // a one-element tensor of a known number (drop_path_rates[i] > 0.)
      const values = tensorValues(v);
      return values && values.length === 1 ? values[0] !== 0 : undefined;
    }
    case "unknown":
      return undefined;
    default:
      return true;
  }
}

export function rangeLength(start: number, stop: number, step: number): number {
  if (step > 0) return Math.max(0, Math.ceil((stop - start) / step));
  return Math.max(0, Math.ceil((start - stop) / -step));
}
