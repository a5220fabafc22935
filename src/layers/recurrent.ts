// The recurrent layers: RNN, LSTM and GRU over whole sequences, and their
// one-step cells. Parameters are registered per layer and direction exactly as
// RNNBase does; outputs are (output, h_n) or, for LSTM, (output, (h_n, c_n)).
import { productFlops } from "./flops.js";
import { PyException } from "../eval/errors.js";
import { float, NONE, tuple, type Value } from "../eval/values.js";
import { dimAdd, dimCompareEq, dimToString, type Dim } from "../shapes/dim.js";
import { Fix, Message } from "../diagnostics/messages.js";
import { inputLabel, layerLabel, layerSource, rewrittenConstructor, sizeStory } from "./describe.js";
import { compareSize } from "./expectSize.js";
import { formatShape, numel, type Shape } from "../shapes/shape.js";
import { makeTensor, unknownTensor, type DType, type Tensor } from "../shapes/tensor.js";
import { inputTensor, symbolicShape } from "./common.js";
import { toListValue, type Args, type Layer, type LayerBuilder, type LayerRule, type RuleContext } from "./rule.js";

type RecurrentKind = "RNN" | "LSTM" | "GRU";

/** Gate blocks stacked in each weight matrix. */
const gates: Readonly<Record<RecurrentKind, number>> = { RNN: 1, LSTM: 4, GRU: 3 };

// RNN, LSTM and GRU all pass *args straight to RNNBase, so positional order is
// RNNBase's (bias 4th); RNN's nonlinearity can only be given by keyword.
const baseSignature =
  "input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0, bidirectional=False, proj_size=0, device=None, dtype=None";

function buildRecurrent(kind: RecurrentKind, args: Args, b: LayerBuilder): void {
  const inputSize = args.int("input_size");
  const hiddenSize = args.int("hidden_size");
  const numLayers = args.int("num_layers");
  const bias = args.bool("bias");
  const bidirectional = args.bool("bidirectional");
  const projSize = args.int("proj_size");
  const dropout = args.float("dropout");
  if (args.value("dropout").kind === "bool" || dropout < 0 || dropout > 1)
    throw new PyException("ValueError", "dropout should be a number in range [0, 1] representing the probability of an element being zeroed");
  if (kind !== "LSTM" && projSize !== 0) throw new PyException("ValueError", "proj_size argument is only supported for LSTM, not RNN or GRU");
  if (projSize < 0) throw new PyException("ValueError", "proj_size should be a positive integer or zero to disable projections");
  if (projSize >= hiddenSize) throw new PyException("ValueError", "proj_size has to be smaller than hidden_size");

  let mode: string = kind;
  if (kind === "RNN") {
    const nonlinearity = args.str("nonlinearity");
    if (nonlinearity !== "tanh" && nonlinearity !== "relu")
      throw new PyException("ValueError", `Unknown nonlinearity '${nonlinearity ?? "?"}'`);
    b.attr("nonlinearity", nonlinearity);
    mode = nonlinearity === "tanh" ? "RNN_TANH" : "RNN_RELU";
  }
  b.attr("mode", mode);
  b.attr("input_size", inputSize);
  b.attr("hidden_size", hiddenSize);
  b.attr("num_layers", numLayers);
  b.attr("bias", bias);
  b.attr("batch_first", args.setting("batch_first"));
  b.attr("dropout", float(dropout));
  b.attr("bidirectional", args.setting("bidirectional"));
  b.attr("proj_size", projSize);

  const gateSize = gates[kind] * hiddenSize;
  const realHidden = projSize > 0 ? projSize : hiddenSize;
  const directions = bidirectional ? 2 : 1;
  const names: string[] = [];
  for (let layer = 0; layer < numLayers; layer++) {
    // a step of the analysis per layer, and the budgets read at each: its time and memory budgets hold for
    // num_layers=10**8 (a layer's tensors are kilobytes, and 4,096 steps between readings grew 60 MB)
    b.interp.tick();
    b.interp.checkBudgets();
    for (let direction = 0; direction < directions; direction++) {
      const suffix = `_l${layer}${direction === 1 ? "_reverse" : ""}`;
      const layerInput = layer === 0 ? inputSize : realHidden * directions;
      const declared: [string, Shape][] = [
        [`weight_ih${suffix}`, [gateSize, layerInput]],
        [`weight_hh${suffix}`, [gateSize, realHidden]],
      ];
      if (bias) declared.push([`bias_ih${suffix}`, [gateSize]], [`bias_hh${suffix}`, [gateSize]]);
      if (projSize > 0) declared.push([`weight_hr${suffix}`, [projSize, hiddenSize]]);
      for (const [name, shape] of declared) {
        b.param(name, shape);
        names.push(name);
      }
    }
  }
  b.attr("_flat_weights_names", toListValue(names));
}

/** What the layer's attributes say about its outputs. */
interface RecurrentGeometry {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly realHidden: number;
  readonly stateLayers: number;
  readonly directions: number;
  readonly batchFirst: boolean;
}

function geometry(layer: Layer): RecurrentGeometry {
  const hiddenSize = layer.int("hidden_size");
  const projSize = layer.optionalInt("proj_size") ?? 0;
  const directions = layer.bool("bidirectional") ? 2 : 1;
  return {
    inputSize: layer.int("input_size"),
    hiddenSize,
    realHidden: projSize > 0 ? projSize : hiddenSize,
    stateLayers: layer.int("num_layers") * directions,
    directions,
    batchFirst: layer.bool("batch_first"),
  };
}

/** Outputs when the input shape is unknown: the same structure, unknown shapes, so unpacking still works. */
function unknownRecurrentOutput(kind: RecurrentKind, why: string, dtype?: DType): Value {
  const t = () => unknownTensor(why, dtype);
  return kind === "LSTM" ? tuple([t(), tuple([t(), t()])]) : tuple([t(), t()]);
}

/** Reports when a given initial state differs from the shape the layer expects. */
function checkState(owner: string, what: string, given: Value, expected: Shape, ctx: RuleContext): void {
  if (given.kind !== "tensor" || !given.shape) return;
  if (given.shape.length !== expected.length) {
    ctx.report(Message.rankState({ layer: layerLabel(ctx, owner), what, expected: expected.length, shape: formatShape(expected), rank: given.shape.length, actual: formatShape(given.shape) }));
    return;
  }
  if (given.shape.some((d, i) => dimCompareEq(d, expected[i]) === false))
    ctx.report(Message.stateShape({ layer: layerLabel(ctx, owner), what, expected: formatShape(expected), actual: formatShape(given.shape) }));
}

/** input_size against the input's last dimension: an error, a symbolic fit (info), or nothing. */
function checkInputSize(ctx: RuleContext, layer: Layer, x: Tensor & { shape: readonly Dim[] }, inputSize: number, fallback: string): void {
  const axis = x.shape.length - 1;
  const verdict = compareSize(ctx, x.shape[axis], inputSize);
  if (verdict.kind === "match" || verdict.kind === "undecided") return;
  const params = { layer: layerLabel(ctx, fallback, layer), expected: inputSize, tensor: inputLabel(ctx), actual: sizeStory(ctx, x, axis) };
  if (verdict.kind === "fits") ctx.report(Message.rnnInputSizeFits({ ...params, fits: verdict.inputs }), { severity: "info" });
  else if (verdict.kind === "mismatch") {
    const replacement = rewrittenConstructor(layerSource(ctx, layer), "input_size", 0, dimToString(x.shape[axis]));
    ctx.report(Message.rnnInputSize({ ...params, shape: formatShape(x.shape) }), replacement ? { fix: Fix.replaceWith({ replacement }) } : {});
  } else ctx.report(Message.rnnInputSizeNoInput({ ...params, why: verdict.why }), { severity: verdict.kind === "never" ? "error" : "warning" });
}

/**
 * flops: every weight matrix (weight_ih, weight_hh, weight_hr of each layer and
 * direction) multiplies one vector per time step and batch element, so
 * 2 × (steps × batch, the input's positions) × Σ weight-matrix elements (biases are elementwise).
 */
function recurrentFlops(layer: Layer, positions: readonly Dim[]): Dim | undefined {
  const matrices = [...(layer.obj.module?.params.values() ?? [])].filter((p): p is Tensor => p.kind === "tensor" && p.shape?.length === 2);
  const elements = matrices.reduce<Dim>((total, p) => dimAdd(total, numel(p.shape!)), 0);
  return productFlops(numel(positions), elements);
}

function recurrentForward(kind: RecurrentKind, layer: Layer, args: Args, ctx: RuleContext): Value {
  const owner = layer.typeName;
  const x = inputTensor(args, ctx, owner);
  if (!x) return unknownRecurrentOutput(kind, `${owner} received no tensor (a PackedSequence is not modelled)`);
  if (!x.shape) return unknownRecurrentOutput(kind, x.unknownReason ?? "input shape unknown", x.dtype);
  const g = geometry(layer);
  const rank = x.shape.length;
  if (rank !== 2 && rank !== 3) {
    ctx.report(Message.rank({ subject: layerLabel(ctx, owner), expected: "a 3-D (batched) or 2-D (unbatched) input", tensor: inputLabel(ctx), rank, shape: formatShape(x.shape) }));
    return unknownRecurrentOutput(kind, `${owner} on a ${rank}-D input`, x.dtype);
  }
  checkInputSize(ctx, layer, x as Tensor & { shape: readonly Dim[] }, g.inputSize, `${owner}(input_size=${g.inputSize}, ...)`);

  ctx.countFlops(recurrentFlops(layer, x.shape.slice(0, -1)));
  const batched = rank === 3;
  // batch_first is ignored for unbatched input
  const batch: Dim | undefined = batched ? x.shape[g.batchFirst ? 0 : 1] : undefined;
  const withBatch = (size: number): Dim[] => (batch === undefined ? [g.stateLayers, size] : [g.stateLayers, batch, size]);
  const outFeatures = g.directions * g.realHidden;
  const output = makeTensor([...x.shape.slice(0, -1), outFeatures], x.dtype);
  const hShape = withBatch(g.realHidden);
  const hx = args.value("hx");

  if (kind === "LSTM") {
    const cShape = withBatch(g.hiddenSize);
    if (hx.kind === "tuple" || hx.kind === "list") {
      if (hx.items.length !== 2) ctx.report(Message.lstmStatePair({ layer: layerLabel(ctx, owner), actual: `${hx.items.length} items` }));
      else {
        checkState(owner, "h_0", hx.items[0], hShape, ctx);
        checkState(owner, "c_0", hx.items[1], cShape, ctx);
      }
    } else if (hx.kind === "tensor") ctx.report(Message.lstmStatePair({ layer: layerLabel(ctx, owner), actual: "a single tensor" }));
    return tuple([output, tuple([makeTensor(hShape, x.dtype), makeTensor(cShape, x.dtype)])]);
  }
  checkState(owner, "h_0", hx, hShape, ctx);
  return tuple([output, makeTensor(hShape, x.dtype)]);
}

function recurrentRule(kind: RecurrentKind): LayerRule {
  return {
    type: kind,
    signature: kind === "RNN" ? `${baseSignature}, *, nonlinearity='tanh'` : baseSignature,
    forwardSignature: "input, hx=None",
    build: (args, b) => buildRecurrent(kind, args, b),
    forward: (layer, args, ctx) => recurrentForward(kind, layer, args, ctx),
    expectedInput: (layer) => ({
      shape: layer.bool("batch_first") ? symbolicShape("N", "L", layer.int("input_size")) : symbolicShape("L", "N", layer.int("input_size")),
    }),
    // cuDNN weight compaction: nothing to do for shapes
    methods: { flatten_parameters: () => NONE },
  };
}

// ---------------------------------------------------------------- cells

function buildCell(kind: RecurrentKind, args: Args, b: LayerBuilder): void {
  const inputSize = args.int("input_size");
  const hiddenSize = args.int("hidden_size");
  const bias = args.bool("bias");
  b.attr("input_size", inputSize);
  b.attr("hidden_size", hiddenSize);
  b.attr("bias", bias);
  if (kind === "RNN") {
    const nonlinearity = args.str("nonlinearity");
    if (nonlinearity !== "tanh" && nonlinearity !== "relu")
      throw new PyException("ValueError", `Unknown nonlinearity '${nonlinearity ?? "?"}'`);
    b.attr("nonlinearity", nonlinearity);
  }
  const gateSize = gates[kind] * hiddenSize;
  b.param("weight_ih", [gateSize, inputSize]);
  b.param("weight_hh", [gateSize, hiddenSize]);
  b.param("bias_ih", bias ? [gateSize] : undefined);
  b.param("bias_hh", bias ? [gateSize] : undefined);
}

function cellForward(kind: RecurrentKind, layer: Layer, args: Args, ctx: RuleContext): Value {
  const owner = layer.typeName;
  const x = inputTensor(args, ctx, owner);
  const unknownOut = (why: string, dtype?: DType): Value =>
    kind === "LSTM" ? tuple([unknownTensor(why, dtype), unknownTensor(why, dtype)]) : unknownTensor(why, dtype);
  if (!x) return unknownOut(`${owner} received no tensor`);
  if (!x.shape) return unknownOut(x.unknownReason ?? "input shape unknown", x.dtype);
  const rank = x.shape.length;
  if (rank !== 1 && rank !== 2) {
    ctx.report(Message.rank({ subject: layerLabel(ctx, owner), expected: "a 2-D (batched) or 1-D (unbatched) input", tensor: inputLabel(ctx), rank, shape: formatShape(x.shape) }));
    return unknownOut(`${owner} on a ${rank}-D input`, x.dtype);
  }
  const inputSize = layer.int("input_size");
  const hiddenSize = layer.int("hidden_size");
  checkInputSize(ctx, layer, x as Tensor & { shape: readonly Dim[] }, inputSize, `${owner}(${inputSize}, ${hiddenSize})`);
  ctx.countFlops(recurrentFlops(layer, x.shape.slice(0, -1)));
  const stateShape: Dim[] = rank === 2 ? [x.shape[0], hiddenSize] : [hiddenSize];
  const state = (): Tensor => makeTensor(stateShape, x.dtype);
  const hx = args.value("hx");
  if (kind === "LSTM") {
    if (hx.kind === "tuple" || hx.kind === "list") {
      if (hx.items.length !== 2) ctx.report(Message.lstmStatePair({ layer: layerLabel(ctx, owner), actual: `${hx.items.length} items` }));
      else {
        checkState(owner, "h_0", hx.items[0], stateShape, ctx);
        checkState(owner, "c_0", hx.items[1], stateShape, ctx);
      }
    } else if (hx.kind === "tensor") ctx.report(Message.lstmStatePair({ layer: layerLabel(ctx, owner), actual: "a single tensor" }));
    return tuple([state(), state()]);
  }
  checkState(owner, "hx", hx, stateShape, ctx);
  return state();
}

function cellRule(kind: RecurrentKind): LayerRule {
  return {
    type: `${kind}Cell`,
    signature:
      kind === "RNN"
        ? "input_size, hidden_size, bias=True, nonlinearity='tanh', device=None, dtype=None"
        : "input_size, hidden_size, bias=True, device=None, dtype=None",
    forwardSignature: "input, hx=None",
    build: (args, b) => buildCell(kind, args, b),
    forward: (layer, args, ctx) => cellForward(kind, layer, args, ctx),
    expectedInput: (layer) => ({ shape: symbolicShape("N", layer.int("input_size")) }),
  };
}

export const recurrentRules: readonly LayerRule[] = [
  recurrentRule("RNN"),
  recurrentRule("LSTM"),
  recurrentRule("GRU"),
  cellRule("RNN"),
  cellRule("LSTM"),
  cellRule("GRU"),
];
