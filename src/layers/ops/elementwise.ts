// Elementwise ops: Python operators on tensors, torch's pointwise math, the
// shape-keeping functions of torch.nn.functional (activations, dropout, softmax),
// *_like constructors and dtype/device conversions. Shapes broadcast as in NumPy;
// dtypes follow torch.result_type (int tensor + 0.5 → float32, `/` → float).
import { pyRepr } from "../../eval/operators.js";
import { bool, str, tuple, unknown, type Value } from "../../eval/values.js";
import { dimFloorDiv, dimMod, dimToString } from "../../shapes/dim.js";
import { trueCount } from "../../shapes/maskCounts.js";
import { formatShape, shapesMayBeEqual } from "../../shapes/shape.js";
import { makeTensor, unknownTensor, type DType, type Tensor } from "../../shapes/tensor.js";
import type { Args, OpRule, RuleContext } from "../rule.js";
import { Message } from "../../diagnostics/messages.js";
import { argumentLabel, callLabel } from "../describe.js";
import { axisArg, broadcastAll, concreteInt, dtypeArg, dtypeFrom, floatingOf, isKnown, operandOf, resultType, unknownFrom, provenFold, type KnownTensor, type Operand, opRule as rule } from "./support.js";

/** What an elementwise op's result dtype is. */
type ResultKind = "promote" | "float" | "bool" | "double";

/**
 * The result of an elementwise op over `values` (tensors and Python numbers):
 * the broadcast shape and the promoted dtype. With `inplace`, the result is that
 * tensor, and the broadcast shape must be its shape.
 */
function pointwise(ctx: RuleContext, owner: string, values: readonly Value[], kind: ResultKind, inplace?: Tensor): Value {
  const operands: Operand[] = [];
  for (const v of values) {
    if (v.kind === "unknown") return unknownTensor(`${owner} of an unknown value (${v.why})`);
    const o = operandOf(v);
    if (!o) {
      ctx.note(`${owner} received ${pyRepr(v)}, which is neither a tensor nor a number`);
      return unknownTensor(`${owner} of a ${v.kind}`);
    }
    operands.push(o);
  }
  const promoted = resultType(operands);
  const dtype: DType = inplace ? inplace.dtype : kind === "bool" ? "bool" : kind === "float" ? floatingOf(promoted) : kind === "double" ? "float64" : promoted;
  const tensors = values.filter((v): v is Tensor => v.kind === "tensor");
  const unknownOne = tensors.find((t) => !isKnown(t));
  if (unknownOne) return unknownFrom(unknownOne, owner, dtype);
  const known = tensors as KnownTensor[];
  const shapes = (provenFold(ctx, () => callLabel(ctx, owner), known) ?? known).map((t) => t.shape);
  const shape = broadcastAll(ctx, owner, shapes);
  // an error needs proof: sizes that differ only as expressions may agree at the input that runs
  if (inplace?.shape && !shapesMayBeEqual(shape, inplace.shape)) {
    ctx.report(Message.broadcastInplace({ op: callLabel(ctx, owner), target: formatShape(inplace.shape), shape: formatShape(shape) }));
    return inplace;
  }
  if (inplace) return inplace;
  return makeTensor([...shape], dtype);
}

/** The names a function has as torch.X and as the Tensor.X method. */
function torchAndMethod(name: string): string[] {
  return [`torch.${name}`, `Tensor.${name}`];
}

// ---------------------------------------------------------------- operators

/** Binary operators (each with its reflected form, __radd__ for 2 + x) and their result dtype. */
const binaryDunders: ReadonlyArray<readonly [string, ResultKind]> = [
  ["add", "promote"],
  ["sub", "promote"],
  ["mul", "promote"],
  ["truediv", "float"],
  ["div", "float"],
  ["floordiv", "promote"],
  ["mod", "promote"],
  ["pow", "promote"],
  ["and", "promote"],
  ["or", "promote"],
  ["xor", "promote"],
  ["lshift", "promote"],
  ["rshift", "promote"],
];

const operatorRules: OpRule[] = [
  ...binaryDunders.map(([name, kind]) =>
    rule([`Tensor.__${name}__`, `Tensor.__r${name}__`], "self, other", (args, ctx) => pointwise(ctx, opSymbol(name), [args.value("self"), args.value("other")], kind)),
  ),
  // x += y and friends write into x: the result must keep x's shape
  ...binaryDunders.map(([name]) =>
    rule([`Tensor.__i${name}__`], "self, other", (args, ctx) => {
      const self = args.value("self");
      return pointwise(ctx, opSymbol(name, "="), [self, args.value("other")], "promote", self.kind === "tensor" ? self : undefined);
    }),
  ),
  ...["eq", "ne", "lt", "le", "gt", "ge"].map((name) =>
    rule([`Tensor.__${name}__`], "self, other", (args, ctx) => {
      const other = args.value("other");
      // t == None is False and t != None is True, as in PyTorch
      if (other.kind === "none" && (name === "eq" || name === "ne")) return bool(name === "ne");
      return pointwise(ctx, opSymbol(name), [args.value("self"), other], "bool");
    }),
  ),
  rule(["Tensor.__neg__", "Tensor.__pos__", "Tensor.__invert__", "Tensor.__abs__"], "self", (args, ctx) => pointwise(ctx, "unary operator", [args.value("self")], "promote")),
];

/** `'+'`, or the augmented form `'+='` with suffix "=" */
function opSymbol(name: string, suffix = ""): string {
  const symbols: Record<string, string> = {
    add: "+",
    sub: "-",
    mul: "*",
    truediv: "/",
    div: "/",
    floordiv: "//",
    mod: "%",
    pow: "**",
    and: "&",
    or: "|",
    xor: "^",
    lshift: "<<",
    rshift: ">>",
    eq: "==",
    ne: "!=",
    lt: "<",
    le: "<=",
    gt: ">",
    ge: ">=",
  };
  return `'${symbols[name] ?? name}${suffix}'`;
}

// ---------------------------------------------------------------- binary functions

/** torch.add(input, other, *, alpha=1) and the other binary functions, with methods and in-place methods. */
const binaryFunctions: ReadonlyArray<readonly [readonly string[], string, ResultKind]> = [
  [["add"], "input, other, *, alpha=1, out=None", "promote"],
  [["sub", "subtract"], "input, other, *, alpha=1, out=None", "promote"],
  [["rsub"], "input, other, *, alpha=1", "promote"],
  [["mul", "multiply"], "input, other, *, out=None", "promote"],
  [["true_divide"], "input, other, *, out=None", "float"],
  [["floor_divide"], "input, other, *, out=None", "promote"],
  [["remainder", "fmod"], "input, other, *, out=None", "promote"],
  [["pow"], "input, exponent, *, out=None", "promote"],
  [["float_power"], "input, exponent, *, out=None", "double"],
  [["atan2", "arctan2", "hypot", "logaddexp", "logaddexp2", "xlogy"], "input, other, *, out=None", "float"],
  [["maximum", "minimum", "fmax", "fmin", "copysign", "nextafter"], "input, other, *, out=None", "promote"],
  [["eq", "ne", "lt", "le", "gt", "ge", "greater", "greater_equal", "less", "less_equal", "not_equal"], "input, other, *, out=None", "bool"],
  [["logical_and", "logical_or", "logical_xor"], "input, other, *, out=None", "bool"],
  [["bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_left_shift", "bitwise_right_shift"], "input, other, *, out=None", "promote"],
];

function secondOperand(signature: string): string {
  return signature.includes("exponent") ? "exponent" : "other";
}

const binaryFunctionRules: OpRule[] = binaryFunctions.flatMap(([names, signature, kind]) => {
  const second = secondOperand(signature);
  return names.flatMap((name) => [
    rule(torchAndMethod(name), signature, (args, ctx) => pointwise(ctx, `torch.${name}`, [args.value("input"), args.value(second)], kind)),
    rule([`Tensor.${name}_`], signature.replace(", *, out=None", "").replace(", out=None", ""), (args, ctx) => {
      const self = args.value("input");
      return pointwise(ctx, `Tensor.${name}_`, [self, args.value(second)], kind, self.kind === "tensor" ? self : undefined);
    }),
  ]);
});

/** div/divide: a rounding mode keeps the promoted type, true division gives a float. */
const divisionRules: OpRule[] = ["div", "divide"].flatMap((name) => [
  rule(torchAndMethod(name), "input, other, *, rounding_mode=None, out=None", (args, ctx) =>
    pointwise(ctx, `torch.${name}`, [args.value("input"), args.value("other")], args.isNone("rounding_mode") ? "float" : "promote"),
  ),
  rule([`Tensor.${name}_`], "input, other, *, rounding_mode=None", (args, ctx) => {
    const self = args.value("input");
    return pointwise(ctx, `Tensor.${name}_`, [self, args.value("other")], "promote", self.kind === "tensor" ? self : undefined);
  }),
]);

// ---------------------------------------------------------------- ternary functions

function whereRule(): OpRule[] {
  return [
    rule(["torch.where"], "condition, input=None, other=None", (args, ctx) => {
      const cond = args.value("condition");
      if (args.isNone("input") && args.isNone("other")) {
        // torch.where(condition) is nonzero(as_tuple=True): one index tensor per dim, of unknown length
        if (cond.kind !== "tensor" || !cond.shape) return unknown("torch.where(condition) of an unknown shape");
        const count = trueCount(cond, "nonzero");
        return tuple(cond.shape.map(() => makeTensor([count], "int64")));
      }
      return whereResult(ctx, "torch.where", cond, args.value("input"), args.value("other"));
    }),
    rule(["Tensor.where"], "self, condition, other", (args, ctx) => whereResult(ctx, "Tensor.where", args.value("condition"), args.value("self"), args.value("other"))),
  ];
}

function whereResult(ctx: RuleContext, owner: string, cond: Value, a: Value, b: Value): Value {
  const shaped = pointwise(ctx, owner, [cond, a, b], "promote");
  const ab = [a, b].map(operandOf);
  if (shaped.kind !== "tensor" || ab.some((o) => o === undefined)) return shaped;
  const dtype = resultType(ab as Operand[]);
  return shaped.shape ? makeTensor([...shaped.shape], dtype) : unknownTensor(shaped.unknownReason ?? "where of an unknown shape", dtype);
}

const ternaryRules: OpRule[] = [
  ...whereRule(),
  rule(torchAndMethod("lerp"), "input, end, weight, *, out=None", (args, ctx) =>
    pointwise(ctx, "torch.lerp", [args.value("input"), args.value("end"), args.value("weight")], "promote"),
  ),
  rule(["Tensor.lerp_"], "input, end, weight", (args, ctx) => {
    const self = args.value("input");
    return pointwise(ctx, "Tensor.lerp_", [self, args.value("end"), args.value("weight")], "promote", self.kind === "tensor" ? self : undefined);
  }),
  ...["addcmul", "addcdiv"].flatMap((name) => [
    rule(torchAndMethod(name), "input, tensor1, tensor2, *, value=1, out=None", (args, ctx) =>
      pointwise(ctx, `torch.${name}`, [args.value("input"), args.value("tensor1"), args.value("tensor2")], name === "addcdiv" ? "float" : "promote"),
    ),
    rule([`Tensor.${name}_`], "input, tensor1, tensor2, *, value=1", (args, ctx) => {
      const self = args.value("input");
      return pointwise(ctx, `Tensor.${name}_`, [self, args.value("tensor1"), args.value("tensor2")], "promote", self.kind === "tensor" ? self : undefined);
    }),
  ]),
  // clamp's bounds may be numbers or tensors that broadcast with the input
  ...["clamp", "clip"].flatMap((name) => [
    rule(torchAndMethod(name), "input, min=None, max=None, *, out=None", (args, ctx) =>
      pointwise(ctx, `torch.${name}`, [args.value("input"), ...boundValues(args, ["min", "max"])], "promote"),
    ),
    rule([`Tensor.${name}_`, `torch.${name}_`], "input, min=None, max=None", (args, ctx) => {
      const self = args.value("input");
      return pointwise(ctx, `Tensor.${name}_`, [self, ...boundValues(args, ["min", "max"])], "promote", self.kind === "tensor" ? self : undefined);
    }),
  ]),
  rule(torchAndMethod("clamp_min"), "input, min", (args, ctx) => pointwise(ctx, "torch.clamp_min", [args.value("input"), args.value("min")], "promote")),
  rule(torchAndMethod("clamp_max"), "input, max", (args, ctx) => pointwise(ctx, "torch.clamp_max", [args.value("input"), args.value("max")], "promote")),
  rule(["Tensor.clamp_min_", "Tensor.clamp_max_"], "input, bound", (args) => args.value("input")),
];

function boundValues(args: Args, names: readonly string[]): Value[] {
  return names.filter((n) => args.has(n)).map((n) => args.value(n));
}

// ---------------------------------------------------------------- unary math

/** Unary math that gives a float for int input. */
const floatUnary = [
  "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "rsqrt", "sin", "cos", "tan", "asin", "acos", "atan",
  "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "arcsinh", "arccosh", "arctanh",
  "sigmoid", "erf", "erfc", "erfinv", "reciprocal", "digamma", "lgamma", "i0", "sinc", "deg2rad", "rad2deg",
] as const;
/** Unary math that keeps the input's dtype. */
const keepUnary = [
  "abs", "absolute", "neg", "negative", "floor", "ceil", "trunc", "fix", "frac", "sign", "sgn", "square", "relu",
  "positive", "conj", "bitwise_not", "angle",
] as const;
/** Unary predicates: bool results. */
const boolUnary = ["logical_not", "isnan", "isinf", "isfinite", "isposinf", "isneginf", "signbit", "isreal"] as const;

function unaryRules(names: readonly string[], kind: ResultKind, signature = "input, *, out=None", inplace = true): OpRule[] {
  return names.flatMap((name) => {
    const rules = [rule(torchAndMethod(name), signature, (args, ctx) => pointwise(ctx, `torch.${name}`, [args.value("input")], kind))];
    if (inplace) {
      rules.push(
        rule([`Tensor.${name}_`, `torch.${name}_`], "input, *args, **kwargs", (args) => {
          const self = args.value("input");
          return self.kind === "tensor" || self.kind === "unknown" ? self : unknownTensor(`${name}_ of a ${self.kind}`);
        }),
      );
    }
    return rules;
  });
}

const mathRules: OpRule[] = [
  ...unaryRules(floatUnary, "float"),
  ...unaryRules(keepUnary, "promote"),
  ...unaryRules(boolUnary, "bool", "input, *, out=None", false),
  rule(["Tensor.logical_not_"], "input", (args) => args.value("input")),
  ...unaryRules(["round"], "promote", "input, *, decimals=0, out=None"),
  ...unaryRules(["nan_to_num"], "promote", "input, nan=0.0, posinf=None, neginf=None, *, out=None"),
  ...unaryRules(["logit"], "float", "input, eps=None, *, out=None"),
  // tril/triu need a matrix (or a batch of them)
  ...["tril", "triu"].flatMap((name) => [
    rule(torchAndMethod(name), "input, diagonal=0, *, out=None", (args, ctx) => {
      const x = args.value("input");
      if (x.kind === "tensor" && x.shape && x.shape.length < 2)
        ctx.report(Message.rank({ subject: `torch.${name}`, expected: "a tensor of 2 or more dimensions", tensor: argumentLabel(ctx, 0), rank: x.shape.length, shape: formatShape(x.shape) }));
      return pointwise(ctx, `torch.${name}`, [x], "promote");
    }),
    rule([`Tensor.${name}_`], "input, diagonal=0", (args) => args.value("input")),
  ]),
];

// ---------------------------------------------------------------- torch.nn.functional

const F = "torch.nn.functional.";

/** Shape-keeping functionals with their signatures (PyTorch 1.13). */
const keepFunctionals: Readonly<Record<string, string>> = {
  relu: "input, inplace=False",
  relu_: "input",
  relu6: "input, inplace=False",
  leaky_relu: "input, negative_slope=0.01, inplace=False",
  leaky_relu_: "input, negative_slope=0.01",
  elu: "input, alpha=1.0, inplace=False",
  elu_: "input, alpha=1.0",
  selu: "input, inplace=False",
  selu_: "input",
  celu: "input, alpha=1.0, inplace=False",
  celu_: "input, alpha=1.0",
  gelu: "input, approximate='none'",
  silu: "input, inplace=False",
  mish: "input, inplace=False",
  hardswish: "input, inplace=False",
  hardsigmoid: "input, inplace=False",
  hardtanh: "input, min_val=-1.0, max_val=1.0, inplace=False",
  hardtanh_: "input, min_val=-1.0, max_val=1.0",
  sigmoid: "input",
  tanh: "input",
  softplus: "input, beta=1, threshold=20",
  softsign: "input",
  logsigmoid: "input",
  tanhshrink: "input",
  hardshrink: "input, lambd=0.5",
  softshrink: "input, lambd=0.5",
  threshold: "input, threshold, value, inplace=False",
  threshold_: "input, threshold, value",
  rrelu: "input, lower=0.125, upper=0.3333333333333333, training=False, inplace=False",
  rrelu_: "input, lower=0.125, upper=0.3333333333333333, training=False",
  dropout: "input, p=0.5, training=True, inplace=False",
  alpha_dropout: "input, p=0.5, training=False, inplace=False",
  feature_alpha_dropout: "input, p=0.5, training=False, inplace=False",
};

/** dropout1d/2d/3d take (un)batched inputs of these ranks. */
const channelDropouts: Readonly<Record<string, readonly number[]>> = { dropout1d: [2, 3], dropout2d: [3, 4], dropout3d: [4, 5] };

function sameTensor(owner: string) {
  return (args: Args): Value => {
    const x = args.value("input");
    if (x.kind === "tensor" || x.kind === "unknown") return x.kind === "tensor" ? x : unknownTensor(`${owner} of an unknown value`);
    return unknownTensor(`${owner} of a ${x.kind}`);
  };
}

/** Softmax and friends: shape kept, dim checked; dim=None picks 0 for 0-, 1- and 3-D input, else 1 (deprecated). */
function softmaxLike(name: string): OpRule {
  return rule([F + name], "input, dim=None, _stacklevel=3, dtype=None", (args, ctx) => {
    const x = args.value("input");
    if (x.kind !== "tensor") return unknownTensor(`${name} of a ${x.kind}`);
    const dtype = dtypeArg(args, "dtype", x.dtype);
    if (!isKnown(x)) return unknownFrom(x, name, dtype);
    if (args.isNone("dim")) ctx.note(`F.${name} without dim= uses an implicit dimension choice (deprecated)`);
    else {
      const dim = concreteInt(args.value("dim"));
      if (dim !== undefined) axisArg(ctx, `F.${name}`, dim, x);
    }
    return makeTensor([...x.shape], dtype);
  });
}

const functionalRules: OpRule[] = [
  ...Object.entries(keepFunctionals).map(([name, signature]) => rule([F + name], signature, sameTensor(`F.${name}`))),
  ...Object.entries(channelDropouts).map(([name, ranks]) =>
    rule([F + name], "input, p=0.5, training=True, inplace=False", (args, ctx) => {
      const x = args.value("input");
      if (x.kind === "tensor" && x.shape && !ranks.includes(x.shape.length))
        ctx.report(Message.rank({ subject: `F.${name}`, expected: `a ${ranks[0]}-D or ${ranks[1]}-D input`, tensor: argumentLabel(ctx, 0), rank: x.shape.length, shape: formatShape(x.shape) }));
      return sameTensor(`F.${name}`)(args);
    }),
  ),
  rule(["torch.dropout", "torch.alpha_dropout", "torch.feature_dropout"], "input, p, train", sameTensor("torch.dropout")),
  rule([F + "prelu"], "input, weight", sameTensor("F.prelu")),
  softmaxLike("softmax"),
  softmaxLike("log_softmax"),
  softmaxLike("softmin"),
  rule([F + "gumbel_softmax"], "logits, tau=1, hard=False, eps=1e-10, dim=-1", (args) => args.value("logits")),
  rule([F + "normalize"], "input, p=2.0, dim=1, eps=1e-12, out=None", (args, ctx) => {
    const x = args.value("input");
    if (x.kind !== "tensor") return unknownTensor(`F.normalize of a ${x.kind}`);
    if (isKnown(x)) {
      const dim = concreteInt(args.value("dim"));
      if (dim !== undefined) axisArg(ctx, "F.normalize", dim, x);
    }
    return x;
  }),
  rule([F + "glu", "torch.glu"], "input, dim=-1", (args, ctx) => {
    const x = args.value("input");
    if (x.kind !== "tensor") return unknownTensor(`F.glu of a ${x.kind}`);
    if (!isKnown(x)) return unknownFrom(x, "F.glu");
    const axis = axisArg(ctx, "F.glu", args.int("dim"), x);
    if (axis === undefined) return unknownTensor("F.glu dim out of range", x.dtype);
    const size = x.shape[axis];
    const rem = dimMod(size, 2);
    if (typeof rem === "number" && rem !== 0) ctx.report(Message.gluOdd({ axis, size: dimToString(size) }));
    const shape = [...x.shape];
    shape[axis] = dimFloorDiv(size, 2);
    return makeTensor(shape, x.dtype);
  }),
];

// ---------------------------------------------------------------- masked_fill

const maskRules: OpRule[] = [
  rule(torchAndMethod("masked_fill"), "input, mask, value", (args, ctx) => {
    const self = args.value("input");
    const out = pointwise(ctx, "masked_fill", [self, args.value("mask")], "promote");
    // the result keeps the input's dtype whatever the mask's
    return out.kind === "tensor" && self.kind === "tensor" ? (out.shape ? makeTensor([...out.shape], self.dtype) : out) : out;
  }),
  rule(["Tensor.masked_fill_", "Tensor.masked_scatter_"], "input, mask, value", (args, ctx) => {
    const self = args.value("input");
    return pointwise(ctx, "masked_fill_", [self, args.value("mask")], "promote", self.kind === "tensor" ? self : undefined);
  }),
  rule(torchAndMethod("masked_scatter"), "input, mask, source", (args, ctx) => {
    const self = args.value("input");
    const out = pointwise(ctx, "masked_scatter", [self, args.value("mask")], "promote");
    return out.kind === "tensor" && self.kind === "tensor" && out.shape ? makeTensor([...out.shape], self.dtype) : out;
  }),
];

// ---------------------------------------------------------------- *_like

const likeKeywords = "*, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None";

function likeRule(name: string, extra: string, dtypeDefault: (x: Tensor) => DType): OpRule {
  return rule([`torch.${name}`], `input, ${extra ? `${extra}, ` : ""}${likeKeywords}`, (args) => {
    const x = args.value("input");
    if (x.kind !== "tensor") return unknownTensor(`torch.${name} of a ${x.kind}`);
    const dtype = dtypeArg(args, "dtype", dtypeDefault(x));
    return x.shape ? makeTensor([...x.shape], dtype, { requiresGrad: args.bool("requires_grad") }) : unknownFrom(x, name, dtype);
  });
}

const likeRules: OpRule[] = [
  likeRule("zeros_like", "", (x) => x.dtype),
  likeRule("ones_like", "", (x) => x.dtype),
  likeRule("empty_like", "", (x) => x.dtype),
  likeRule("rand_like", "", (x) => x.dtype),
  likeRule("randn_like", "", (x) => x.dtype),
  likeRule("full_like", "fill_value", (x) => x.dtype),
  likeRule("randint_like", "low=0, high=None", (x) => x.dtype),
];

// ---------------------------------------------------------------- conversions

function converted(x: Value, dtype: DType | undefined, owner: string): Value {
  if (x.kind !== "tensor") return unknownTensor(`${owner} of a ${x.kind}`);
  const d = dtype ?? x.dtype;
  if (d === x.dtype) return x;
  return x.shape ? makeTensor([...x.shape], d, { requiresGrad: x.requiresGrad }) : unknownFrom(x, owner, d);
}

const castMethods: Readonly<Record<string, DType>> = {
  float: "float32",
  double: "float64",
  half: "float16",
  bfloat16: "bfloat16",
  long: "int64",
  int: "int32",
  short: "int16",
  char: "int8",
  byte: "uint8",
  bool: "bool",
  cfloat: "complex64",
};

const typeNames: Readonly<Record<DType, string>> = {
  float32: "torch.FloatTensor",
  float64: "torch.DoubleTensor",
  float16: "torch.HalfTensor",
  bfloat16: "torch.BFloat16Tensor",
  int64: "torch.LongTensor",
  int32: "torch.IntTensor",
  int16: "torch.ShortTensor",
  int8: "torch.CharTensor",
  uint8: "torch.ByteTensor",
  bool: "torch.BoolTensor",
  complex64: "torch.ComplexFloatTensor",
};

/** Tensor.to(...): a dtype, a device (str or torch.device), a tensor (its dtype and device), or keywords. */
function toDType(args: Args): DType | undefined {
  let dtype: DType | undefined;
  const positional = args.value("args");
  const items = positional.kind === "tuple" ? positional.items : [];
  for (const v of items) {
    if (v.kind === "tensor") dtype = v.dtype;
    else if (v.kind === "dtype") dtype = v.dtype;
  }
  const kwargs = args.value("kwargs");
  if (kwargs.kind === "dict") {
    for (const e of kwargs.entries.values()) {
      if (e.key.kind === "str" && e.key.value === "dtype") dtype = dtypeFrom(e.value) ?? dtype;
      if (e.key.kind === "str" && e.key.value === "other" && e.value.kind === "tensor") dtype = e.value.dtype;
    }
  }
  return dtype;
}

const conversionRules: OpRule[] = [
  ...Object.entries(castMethods).map(([name, dtype]) => rule([`Tensor.${name}`], "self, memory_format=None", (args) => converted(args.value("self"), dtype, `Tensor.${name}`))),
  rule(["Tensor.to"], "self, *args, **kwargs", (args) => converted(args.value("self"), toDType(args), "Tensor.to")),
  rule(["Tensor.type"], "self, dtype=None, non_blocking=False, **kwargs", (args) => {
    const self = args.value("self");
    if (args.isNone("dtype")) return self.kind === "tensor" ? str(typeNames[self.dtype]) : unknown("Tensor.type() of an unknown value");
    return converted(self, dtypeFrom(args.value("dtype")), "Tensor.type");
  }),
  rule(["Tensor.type_as"], "self, other", (args) => {
    const other = args.value("other");
    return converted(args.value("self"), other.kind === "tensor" ? other.dtype : undefined, "Tensor.type_as");
  }),
  // device moves, copies and autograd bookkeeping keep the tensor as it is
  rule(["Tensor.contiguous", "Tensor.cpu"], "self, memory_format=None", (args) => args.value("self")),
  rule(["Tensor.cuda"], "self, device=None, non_blocking=False, memory_format=None", (args) => args.value("self")),
  rule(["Tensor.clone", "torch.clone"], "input, *, memory_format=None", (args) => converted(args.value("input"), undefined, "clone")),
  rule(["Tensor.detach", "torch.detach"], "input", (args) => {
    const x = args.value("input");
    return x.kind === "tensor" ? { ...x, isParameter: false, requiresGrad: false } : x;
  }),
  rule(["Tensor.detach_", "Tensor.pin_memory", "Tensor.share_memory_", "Tensor.coalesce", "Tensor.to_dense", "Tensor.retain_grad"], "input, *args, **kwargs", (args) =>
    args.value("input"),
  ),
  // in place, as in PyTorch: a parameter frozen this way stops counting as trainable
  rule(["Tensor.requires_grad_"], "self, requires_grad=True", (args) => {
    const self = args.value("self");
    if (self.kind === "tensor") self.requiresGrad = args.bool("requires_grad");
    return self;
  }),
  // in-place fills and random initialisers: shape and dtype stay
  rule(
    [
      "Tensor.fill_", "Tensor.zero_", "Tensor.normal_", "Tensor.uniform_", "Tensor.random_", "Tensor.bernoulli_", "Tensor.exponential_",
      "Tensor.geometric_", "Tensor.cauchy_", "Tensor.log_normal_", "Tensor.fill_diagonal_", "Tensor.copy_",
    ],
    "self, *args, **kwargs",
    (args) => args.value("self"),
  ),
];

export const elementwiseOps: readonly OpRule[] = [
  ...operatorRules,
  ...binaryFunctionRules,
  ...divisionRules,
  ...ternaryRules,
  ...mathRules,
  ...functionalRules,
  ...maskRules,
  ...likeRules,
  ...conversionRules,
];
