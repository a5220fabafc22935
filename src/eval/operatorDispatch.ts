// Python operators on any value: tensors go to torch's rules, plain values to
// operators.ts, instances of Python classes to their dunder methods.
import type * as A from "../parse/ast.js";
import { PyException } from "./errors.js";
import type { Interpreter } from "./interpreter.js";
import { typeName } from "./naming.js";
import { numericValue, primitiveBinary, pyEquals, pyLess } from "./operators.js";
import { ValueTooLarge } from "./sizeLimits.js";
import { bool, float, hashKey, int, unknown, type Value } from "./values.js";

export function binary(interp: Interpreter, op: A.BinaryOperator, a: Value, b: Value): Value {
  if (a.kind === "tensor" || b.kind === "tensor") return interp.tensors.binary(op, a, b, interp);
  let p: Value | undefined;
  try {
    p = primitiveBinary(op, a, b);
  } catch (e) {
    if (!(e instanceof ValueTooLarge)) throw e;
    interp.cut(e.message);
    return unknown(e.message);
  }
  if (p) return p;
  if (a.kind === "object") {
    const m = interp.lookupSpecial(a, binaryMethod[op]);
    if (m) return interp.callValue(m, [b]);
  }
  if (b.kind === "object") {
    const m = interp.lookupSpecial(b, `__r${binaryMethod[op].slice(2)}`);
    if (m) return interp.callValue(m, [a]);
  }
  if (a.kind === "unknown" || b.kind === "unknown") return a.kind === "unknown" ? a : b;
  throw new PyException("TypeError", `unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
}

export function unary(interp: Interpreter, op: "-" | "+" | "~" | "not", v: Value): Value {
  if (op === "not") {
    const t = interp.truthy(v);
    return t === undefined ? unknown("truth value not known") : bool(!t);
  }
  if (v.kind === "tensor") return interp.tensors.unary(op, v, interp);
  const n = numericValue(v);
  if (n !== undefined) {
    if (op === "-") return primitiveBinary("*", int(-1), v)!;
    if (op === "+") return int(n);
    return typeof n === "number" ? int(~n) : unknown("~ on a symbolic size");
  }
  if (v.kind === "float") return float(op === "-" ? -v.value : v.value);
  if (v.kind === "unknown") return v;
  if (v.kind === "object") {
    const m = interp.lookupSpecial(v, op === "-" ? "__neg__" : op === "+" ? "__pos__" : "__invert__");
    if (m) return interp.callValue(m, []);
  }
  throw new PyException("TypeError", `bad operand type for unary ${op}: '${typeName(v)}'`);
}

export function compare(interp: Interpreter, op: A.CompareOperator, a: Value, b: Value): Value {
  const decided = (r: boolean | undefined): Value => (r === undefined ? unknown("comparison not decidable") : bool(r));
  if ((a.kind === "tensor" || b.kind === "tensor") && op !== "is" && op !== "is not" && op !== "in" && op !== "not in") return interp.tensors.compare(op, a, b, interp);
  switch (op) {
    case "is":
      return decided(identical(a, b));
    case "is not":
      return decided(negated(identical(a, b)));
    case "==":
      return decided(equals(interp, a, b));
    case "!=":
      return decided(negated(equals(interp, a, b)));
    case "<":
      return decided(pyLess(a, b));
    case ">":
      return decided(pyLess(b, a));
    case "<=":
      return decided(negated(pyLess(b, a)));
    case ">=":
      return decided(negated(pyLess(a, b)));
    case "in":
      return decided(contains(interp, b, a));
    case "not in":
      return decided(negated(contains(interp, b, a)));
  }
}

export function equals(interp: Interpreter, a: Value, b: Value): boolean | undefined {
  if (a.kind === "object") {
    const eq = interp.lookupInMro(a.cls, "__eq__");
    if (eq && (eq.value.kind === "function" || eq.value.kind === "native")) return interp.truthy(interp.callValue(interp.bindDescriptor(eq.value, a, a.cls), [b]));
  }
  return pyEquals(mixedInValue(interp, a), mixedInValue(interp, b));
}

/** A member of an Enum mixed with str or int (class Format(str, Enum)) is equal to its value: Format.NHWC == "NHWC". */
function mixedInValue(interp: Interpreter, v: Value): Value {
  const value = v.kind === "object" ? v.attrs.get("_value_") : undefined;
  if (!value || v.kind !== "object") return v;
  const mixins = ["str", "int"].map((name) => interp.builtins.vars.get(name));
  return v.cls.mro.some((c) => mixins.includes(c)) ? value : v;
}

export function contains(interp: Interpreter, container: Value, item: Value): boolean | undefined {
  if (container.kind === "dict") return container.entries.has(hashKey(item));
  if (container.kind === "set") return container.entries.has(hashKey(item));
  if (container.kind === "str" && item.kind === "str") return container.value.includes(item.value);
  if (container.kind === "object") {
    const m = interp.lookupSpecial(container, "__contains__");
    if (m) return interp.truthy(interp.callValue(m, [item]));
  }
  if (container.kind === "unknown") return undefined;
  const items = interp.iterate(container);
  if (!items) return undefined;
  let result: boolean | undefined = false;
  for (const x of items) {
    const e = equals(interp, x, item);
    if (e === true) return true;
    if (e === undefined) result = undefined;
  }
  return result;
}

const binaryMethod: Record<A.BinaryOperator, string> = {
  "+": "__add__",
  "-": "__sub__",
  "*": "__mul__",
  "/": "__truediv__",
  "//": "__floordiv__",
  "%": "__mod__",
  "**": "__pow__",
  "@": "__matmul__",
  "&": "__and__",
  "|": "__or__",
  "^": "__xor__",
  "<<": "__lshift__",
  ">>": "__rshift__",
};

/** The in-place dunders of an augmented assignment (`a += b` calls `__iadd__` when the type has one). */
export const inplaceMethod: Partial<Record<A.BinaryOperator, string>> = { "+": "__iadd__", "*": "__imul__", "-": "__isub__" };

/** `not r` for a three-valued truth: undefined stays undefined. */
function negated(r: boolean | undefined): boolean | undefined {
  return r === undefined ? undefined : !r;
}

function identical(a: Value, b: Value): boolean | undefined {
  if (a.kind === "unknown" || b.kind === "unknown") return undefined;
  if (a.kind === "none" || b.kind === "none") return a.kind === b.kind;
  if (a.kind === "bool" && b.kind === "bool") return a.value === b.value;
  if (a.kind === "str" && b.kind === "str") return a.value === b.value;
  if (a.kind === "int" && b.kind === "int") return pyEquals(a, b);
  if (a.kind === "dtype" && b.kind === "dtype") return a.dtype === b.dtype;
  return a === b;
}
