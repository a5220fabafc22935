// What Python syntax on tensors means: attributes, operators, indexing and
// iteration, each routed to an op rule by its Tensor dunder name.
import { maxSequenceLength, SequenceTooLong } from "../eval/sizeLimits.js";
import type { BinaryOperator, CompareOperator } from "../parse/ast.js";
import type { Interpreter, TensorSemantics } from "../eval/interpreter.js";
import { bool, int, NONE, tuple, unknown, type Value } from "../eval/values.js";
import { makeTensor, unknownTensor, type Tensor } from "../shapes/tensor.js";
import { leadingRowValues, setTensorValues } from "../shapes/tensorValues.js";
import { lookupOp, unmodelledOp } from "./ops.js";
import { cpuDevice } from "./device.js";

const binaryDunder: Record<BinaryOperator, string> = {
  "+": "add",
  "-": "sub",
  "*": "mul",
  "/": "truediv",
  "//": "floordiv",
  "%": "mod",
  "**": "pow",
  "@": "matmul",
  "&": "and",
  "|": "or",
  "^": "xor",
  "<<": "lshift",
  ">>": "rshift",
};

const compareDunder: Record<string, string> = { "==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge" };

function callOp(name: string, args: readonly Value[], interp: Interpreter, fallbackShapeFrom?: Tensor): Value {
  const op = lookupOp(name);
  if (op) return interp.callValue(op, args);
  interp.note(`${name} is not modelled; its result is unknown`);
  return unknownTensor(`${name} is not modelled`, fallbackShapeFrom?.dtype);
}

export const torchTensorSemantics: TensorSemantics = {
  attribute(t, name, interp) {
    switch (name) {
      case "shape":
        return t.shape ? tuple(t.shape.map((d) => int(d))) : unknown(t.unknownReason ?? "shape unknown");
      case "dtype":
        return { kind: "dtype", dtype: t.dtype };
      case "ndim":
        return t.shape ? int(t.shape.length) : unknown("rank unknown");
      case "T":
      case "mT":
        return t.shape ? makeTensor(name === "T" ? [...t.shape].reverse() : [...t.shape.slice(0, -2), ...t.shape.slice(-2).reverse()], t.dtype) : t;
      case "data":
        return { ...t, isParameter: false };
      case "device":
        return cpuDevice();
      case "is_cuda":
        return bool(false);
      case "requires_grad":
        return bool(t.requiresGrad);
      case "grad":
        return NONE;
      case "is_leaf":
        return bool(true);
      default: {
        const method = lookupOp(`Tensor.${name}`, t);
        if (method) return method;
        void interp;
        return unmodelledOp(`Tensor.${name}`);
      }
    }
  },
  binary(op, a, b, interp, inplace) {
    const name = binaryDunder[op];
    if (a.kind === "tensor" && inplace && lookupOp(`Tensor.__i${name}__`)) return callOp(`Tensor.__i${name}__`, [a, b], interp, a);
    if (a.kind === "tensor") return callOp(`Tensor.__${name}__`, [a, b], interp, a);
    return callOp(`Tensor.__r${name}__`, [b, a], interp, b as Tensor);
  },
  unary(op, a, interp) {
    return callOp(op === "-" ? "Tensor.__neg__" : op === "+" ? "Tensor.__pos__" : "Tensor.__invert__", [a], interp, a);
  },
  compare(op: CompareOperator, a, b, interp) {
    const name = compareDunder[op];
    if (!name) return unknown(`'${op}' on a tensor`);
    if (a.kind === "tensor") return callOp(`Tensor.__${name}__`, [a, b], interp, a);
    const mirrored: Record<string, string> = { eq: "eq", ne: "ne", lt: "gt", le: "ge", gt: "lt", ge: "le" };
    return callOp(`Tensor.__${mirrored[name]}__`, [b, a], interp, b as Tensor);
  },
  getItem(t, index, interp) {
    return callOp("Tensor.__getitem__", [t, index], interp, t);
  },
  setItem(t, index, value, interp) {
    const op = lookupOp("Tensor.__setitem__");
    if (op) interp.callValue(op, [t, index, value]);
  },
  setAttribute(t, name, value, interp) {
    if (name === "requires_grad") t.requiresGrad = interp.truthy(value) !== false;
  },
  iterate(t, interp) {
    if (!t.shape || t.shape.length === 0) return undefined;
    const n = t.shape[0];
    if (typeof n !== "number") return undefined;
    // a row per item: past the limit, iterating it is not followed
    if (n > maxSequenceLength) {
      interp.cut(new SequenceTooLong("tensor's rows", n).message);
      return undefined;
    }
    // the rows of a tensor of known numbers keep theirs ([x.item() for x in torch.linspace(0, rate, depth)])
    return Array.from({ length: n }, (_, i) => {
      const row = makeTensor(t.shape!.slice(1), t.dtype);
      const values = leadingRowValues(t, i, 1);
      return values ? setTensorValues(row, values) : row;
    });
  },
};
