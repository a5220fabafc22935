// The rest of operator (Python 3.11): comparisons, unary operators, sequence helpers,
// the in-place forms and methodcaller. Each is also bound under its dunder name.
import type { BinaryOperator, CompareOperator } from "../../parse/ast.js";
import { PyException } from "../errors.js";
import { deleteItem } from "../items.js";
import { bool, int, native, NONE, unknown, type NativeCall, type Value } from "../values.js";

const comparisons: Readonly<Record<string, CompareOperator>> = { eq: "==", ne: "!=", lt: "<", le: "<=", gt: ">", ge: ">=" };
const inPlace: Readonly<Record<string, BinaryOperator>> = {
  iadd: "+",
  isub: "-",
  imul: "*",
  itruediv: "/",
  ifloordiv: "//",
  imod: "%",
  ipow: "**",
  imatmul: "@",
  iand: "&",
  ior: "|",
  ixor: "^",
  ilshift: "<<",
  irshift: ">>",
  iconcat: "+",
};

/** a += b on a list extends it in place, as Python's list.__iadd__ does; other values are rebound */
function augmented(call: NativeCall, op: BinaryOperator): Value {
  const [a, b] = call.args;
  if (op === "+" && a?.kind === "list") {
    const more = call.interp.iterate(b);
    if (!more) return unknown("in-place add of an unknown iterable");
    a.items.push(...more);
    return a;
  }
  return call.interp.binary(op, a, b);
}

function truthOf(call: NativeCall, v: Value): Value {
  const t = call.interp.truthy(v);
  return t === undefined ? unknown("truth of an undecidable value") : bool(t);
}

export function operatorExtras(): Record<string, Value> {
  const out: Record<string, Value> = {};
  const def = (name: string, f: (call: NativeCall) => Value, dunder = true) => {
    out[name] = native(`operator.${name}`, f);
    if (dunder) out[`__${name.replace(/_$/, "")}__`] = out[name];
  };
  for (const [name, op] of Object.entries(comparisons)) def(name, (call) => call.interp.compare(op, call.args[0], call.args[1]));
  for (const [name, op] of Object.entries(inPlace)) def(name, (call) => augmented(call, op));
  def("neg", (call) => call.interp.unary("-", call.args[0]));
  def("pos", (call) => call.interp.unary("+", call.args[0]));
  def("inv", (call) => call.interp.unary("~", call.args[0]));
  def("invert", (call) => call.interp.unary("~", call.args[0]));
  def("not_", (call) => call.interp.unary("not", call.args[0]));
  def("truth", (call) => truthOf(call, call.args[0]), false);
  def("abs", (call) => call.interp.callValue(call.interp.builtins.vars.get("abs")!, [call.args[0]]));
  def("index", (call) => {
    const x = call.args[0];
    if (x?.kind !== "int" && x?.kind !== "bool") throw new PyException("TypeError", "object cannot be interpreted as an integer");
    return x.kind === "bool" ? int(Number(x.value)) : x;
  });
  def("is_", (call) => call.interp.compare("is", call.args[0], call.args[1]), false);
  def("is_not", (call) => call.interp.compare("is not", call.args[0], call.args[1]), false);
  def("concat", (call) => call.interp.binary("+", call.args[0], call.args[1]));
  def("contains", (call) => {
    const found = call.interp.contains(call.args[0], call.args[1]);
    return found === undefined ? unknown("membership not known") : bool(found);
  });
  def("countOf", (call) => {
    const xs = call.interp.iterate(call.args[0]);
    if (!xs) return unknown("operator.countOf over an unknown value");
    return int(xs.filter((x) => call.interp.equals(x, call.args[1]) === true).length);
  }, false);
  def("indexOf", (call) => {
    const xs = call.interp.iterate(call.args[0]);
    if (!xs) return unknown("operator.indexOf over an unknown value");
    const i = xs.findIndex((x) => call.interp.equals(x, call.args[1]) === true);
    if (i < 0) throw new PyException("ValueError", "sequence.index(x): x not in sequence");
    return int(i);
  }, false);
  def("setitem", (call) => {
    call.interp.setItem(call.args[0], call.args[1], call.args[2]);
    return NONE;
  });
  def("delitem", (call) => {
    deleteItem(call.interp, call.args[0], call.args[1]);
    return NONE;
  });
  def("length_hint", (call) => {
    const xs = call.interp.iterate(call.args[0]);
    return xs ? int(xs.length) : (call.args[1] ?? int(0));
  }, false);
  def("call", (call) => call.interp.callValue(call.args[0], call.args.slice(1), call.kwargs));
  def("methodcaller", (call) => {
    const [name, ...args] = call.args;
    return native("methodcaller", (c) => c.interp.callValue(c.interp.getAttr(c.args[0], name?.kind === "str" ? name.value : ""), args, call.kwargs));
  }, false);
  return out;
}
