// Will a training step fit? An estimate, from the rows of an analysis whose batch is
// symbolic (N): every figure is a polynomial in N, and the largest batch that fits a
// budget is solved from it. What it counts (per element, the chosen dtype's size):
//   parameters, their gradients (trainable ones), optimizer state (SGD without momentum
//   none; Adam its two moments, 2 × trainable), the input, and the activations autograd
//   keeps for backward, by this rule (ACTIVATION_RULE): every tensor the forward pass
//   allocates is alive until backward, which is what a graph that needs each op's input
//   or output keeps: the output of every layer call (every row, tuple outputs in full;
//   a layer built with inplace=True writes into its input and allocates nothing)
//   and of every operation between layers that allocates one (x + identity, torch.cat;
//   views and in-place operations share their input's storage: src/compute/allocations.ts).
//   Temporaries inside a built-in layer (an attention's score matrix inside a
//   MultiheadAttention) are not seen.
// What it leaves out: allocator fragmentation and caching, cuDNN/cuBLAS workspace, the
// CUDA context (hundreds of MB), temporaries of the backward pass, mixed-precision
// master weights. It is an estimate.
import type { ModelSummary, ReportedShape } from "../analysis/summary.js";
import { dimEvaluate, dimMul, dimProduct, dimVariables, type Dim } from "../shapes/dim.js";
import { dtypeAliases, dtypeSize, isFloatingDType, type DType } from "../shapes/tensor.js";
import { countProduct, countSum, type Count } from "./torchinfo.js";

export type Optimizer = "sgd" | "adam";
export const OPTIMIZERS: readonly Optimizer[] = ["sgd", "adam"];

export interface MemoryEstimate {
  readonly dtype: DType;
  readonly paramsBytes: Count;
  readonly gradientsBytes: Count;
  readonly optimizerStateBytes: Readonly<Record<Optimizer, Count>>;
  readonly activationsBytes: Count;
  /** the activations' two parts: layer calls' outputs, and tensors operations between layers allocated */
  readonly layerOutputsBytes: Count;
  readonly operationOutputsBytes: Count;
  readonly inputBytes: Count;
  readonly totalBytes: Readonly<Record<Optimizer, Count>>;
}

/** A float tensor is stored in the chosen dtype (mixed precision); others keep their own size. */
function elementBytes(dtype: DType, own: DType = "float32"): number {
  return isFloatingDType(own) ? dtypeSize(dtype) : dtypeSize(own);
}

/** Elements of every tensor of a row's output (tuples in full); undefined when a shape is not known. */
function outputElements(shape: ReportedShape): Count {
  if (shape === null) return 0;
  if (shape === "unknown") return undefined;
  if (shape.length === 0 || !Array.isArray(shape[0]) && shape[0] !== null && shape[0] !== "unknown") return dimProduct(shape as readonly Dim[]);
  return (shape as readonly ReportedShape[]).reduce<Count>((total, s) => countSum(total, outputElements(s)), 0);
}

export function memoryEstimate(model: ModelSummary, dtype: DType): MemoryEstimate {
  const bytes = dtypeSize(dtype);
  const paramsBytes = countProduct(model.totalParams, bytes);
  const gradientsBytes = countProduct(model.trainableParams, bytes);
  const optimizerStateBytes = { sgd: 0, adam: countProduct(model.trainableParams, 2 * bytes) };
  const layerOutputsBytes = model.layers.reduce<Count>((total, row) => (row.inPlace ? total : countSum(total, countProduct(outputElements(row.outputShape), bytes))), 0);
  const operationOutputsBytes = model.opOutputs.reduce<Count>((total, o) => countSum(total, countProduct(o.elements, elementBytes(dtype, o.dtype))), 0);
  const activationsBytes = countSum(layerOutputsBytes, operationOutputsBytes);
  const inputBytes = model.inputs.reduce<Count>((total, i) => (i.unknown ? undefined : countSum(total, dimMul(elementBytes(dtype, i.dtype), dimProduct(i.shape)))), 0);
  const fixed = countSum(countSum(paramsBytes, gradientsBytes), countSum(activationsBytes, inputBytes));
  return {
    dtype,
    paramsBytes,
    gradientsBytes,
    optimizerStateBytes,
    activationsBytes,
    layerOutputsBytes,
    operationOutputsBytes,
    inputBytes,
    totalBytes: { sgd: countSum(fixed, optimizerStateBytes.sgd), adam: countSum(fixed, optimizerStateBytes.adam) },
  };
}

/**
 * The largest batch whose total fits the budget, solved from the total's polynomial in
 * the batch variable: total(N) = fixed + perSample × N, so N = ⌊(budget − fixed) / perSample⌋.
 * 0 when not even one sample fits; undefined when the total is not known, depends on
 * another variable, or is not linear in N (then no closed form is claimed).
 */
export function largestBatch(total: Count, budget: number, batch: string): number | undefined {
  if (total === undefined) return undefined;
  if (typeof total === "number") return undefined;
  const vars = dimVariables(total);
  if (vars.size !== 1 || !vars.has(batch)) return undefined;
  const at = (n: number) => dimEvaluate(total, new Map([[batch, n]]));
  const [f0, f1, f2] = [at(0), at(1), at(2)];
  if (f0 === undefined || f1 === undefined || f2 === undefined) return undefined;
  const perSample = f1 - f0;
  if (perSample <= 0 || f2 - f1 !== perSample) return undefined;
  return Math.max(0, Math.floor((budget - f0) / perSample));
}

const MEMORY_DTYPES: Readonly<Record<string, DType>> = { fp32: "float32", fp16: "float16", bf16: "bfloat16" };

/** The element type of the estimate: a floating dtype by torch's name or its short form (float32, bf16, fp16, float64); undefined for anything else. */
export function memoryDType(text: string): DType | undefined {
  const dtype = MEMORY_DTYPES[text.toLowerCase()] ?? dtypeAliases[text.toLowerCase()];
  return dtype && isFloatingDType(dtype) ? dtype : undefined;
}

/** "24GB", "24 GiB", "8000MB", "1e9": bytes; undefined for anything else or a size ≤ 0. */
export function parseByteSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?(?:e\d+)?)\s*(b|kb|mb|gb|tb|kib|mib|gib|tib)?\s*$/i.exec(text);
  if (!m) return undefined;
  const units: Readonly<Record<string, number>> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40 };
  const bytes = Number(m[1]) * units[(m[2] ?? "b").toLowerCase()];
  return Number.isFinite(bytes) && bytes > 0 ? bytes : undefined;
}

/** What --memory-budget reports for a model: the estimate in its batch variable and the largest batch per optimizer. */
export interface MemoryReport {
  readonly budgetBytes: number;
  readonly batch: string;
  readonly estimate: MemoryEstimate;
  readonly largestBatch: Readonly<Record<Optimizer, number | undefined>>;
}

export function memoryReport(symbolic: ModelSummary, batch: string, budgetBytes: number, dtype: DType): MemoryReport {
  const estimate = memoryEstimate(symbolic, dtype);
  return {
    budgetBytes,
    batch,
    estimate,
    largestBatch: { sgd: largestBatch(estimate.totalBytes.sgd, budgetBytes, batch), adam: largestBatch(estimate.totalBytes.adam, budgetBytes, batch) },
  };
}

/** The rule the activations follow, for the JSON's derivation. */
export const ACTIVATION_RULE =
  "every tensor the forward pass allocates, kept until backward: the output of every layer call (row), tuple outputs in full, except layers built with inplace=True, and of every operation between layers that allocates one (views and in-place operations do not), floating tensors in the chosen dtype; temporaries inside a built-in layer are not seen";
export const LEFT_OUT = "allocator fragmentation and caching, cuDNN/cuBLAS workspace, the CUDA context, backward temporaries, mixed-precision master weights";
