// The contract's JSON (shared/design/contract.md): version 1. A line in a notebook
// is the line in its cell, with "cell" (1-based) beside it.
import { relative } from "node:path";
import type { AnalysisResult, ModelSummary } from "../analysis/summary.js";
import { rowMultAdds as rowsMultAdds, torchinfoFigures, type Count } from "../compute/torchinfo.js";
import { dimToJson } from "../shapes/dim.js";
import { modelFlops } from "../compute/flops.js";
import { ACTIVATION_RULE, LEFT_OUT, OPTIMIZERS, type MemoryReport, type Optimizer } from "../compute/memory.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { SourceLocation } from "../eval/values.js";
import { inputToJson, shapeToJson } from "./shapeText.js";
import { userLine } from "../analysis/sourceFile.js";

/** the last answers of displayPath: every row of a model names one of a few files */
const displayed = new Map<string, string>();

export function displayPath(file: string, cwd = process.cwd()): string {
  const key = `${cwd}\0${file}`;
  let shown = displayed.get(key);
  if (shown === undefined) {
    const rel = relative(cwd, file);
    shown = rel.startsWith("..") ? file : rel;
    if (displayed.size >= 1000) displayed.clear();
    displayed.set(key, shown);
  }
  return shown;
}

/** `line` (1-based) of a 0-based line, and `cell` before it in a notebook. */
export function lineFields(file: string, line: number): { cell?: number; line: number } {
  const at = userLine(file, line);
  return at.cell !== undefined ? { cell: at.cell, line: at.line } : { line: at.line };
}

export function diagnosticToJson(d: Diagnostic) {
  const { file, span } = d.location;
  return {
    severity: d.severity,
    code: d.code,
    message: d.message,
    file: displayPath(file),
    ...lineFields(file, span.line),
    column: span.col + 1,
    end_line: userLine(file, span.endLine).line,
    end_column: span.endCol + 1,
    model: d.model,
    related: d.related.map((r) => ({ file: displayPath(r.location.file), ...lineFields(r.location.file, r.location.span.line), message: r.message })),
    ...(d.fix ? { fix: d.fix } : {}),
  };
}

/** Reports beyond the summary, one per model (aligned with result.models) when asked for. */
export interface JsonExtras {
  readonly memory?: readonly (MemoryReport | undefined)[];
}

export function toContractJson(result: AnalysisResult, extras: JsonExtras = {}) {
  return {
    version: 1,
    files: result.files.map((f) => displayPath(f)),
    models: result.models.map((m, i) => {
      const memory = extras.memory?.[i];
      return memory ? { ...modelToJson(m), memory: memoryToJson(memory) } : modelToJson(m);
    }),
    diagnostics: result.diagnostics.map(diagnosticToJson),
  };
}

function modelToJson(m: ModelSummary) {
  const figures = torchinfoFigures(m);
  const rowMultAdds = rowsMultAdds(m);
  return {
    name: m.name,
    file: displayPath(m.file),
    ...lineFields(m.file, m.line - 1),
    inputs: m.inputs.map(inputToJson),
    layers: m.layers.map((l, i) => ({
      name: l.name,
      type: l.type,
      params: l.params ?? null,
      trainable_params: l.trainableParams ?? null,
      input_shape: shapeToJson(l.inputShape),
      output_shape: shapeToJson(l.outputShape),
      file: l.definedAt ? displayPath(l.definedAt.file) : null,
      ...(l.definedAt ? lineFields(l.definedAt.file, l.definedAt.span.line) : { line: null }),
      ...callLineFields(l.calledAt),
      depth: l.depth,
      mult_adds: countToJson(rowMultAdds[i]),
      flops: countToJson(l.flops),
    })),
    output_shape: shapeToJson(m.outputShape),
    total_params: m.totalParams ?? null,
    trainable_params: m.trainableParams ?? null,
    mult_adds: countToJson(figures.multAdds),
    input_bytes: countToJson(figures.inputBytes),
    forward_backward_bytes: countToJson(figures.forwardBackwardBytes),
    params_bytes: countToJson(figures.paramsBytes),
    estimated_total_bytes: countToJson(figures.estimatedTotalBytes),
    flops: countToJson(modelFlops(m)),
    ...(m.incomplete ? { incomplete: m.incomplete } : {}),
  };
}

/** `call_line`, and `call_cell` before it when the call is in a notebook */
function callLineFields(at: SourceLocation | undefined): { call_cell?: number; call_line: number | null } {
  if (!at) return { call_line: null };
  const { cell, line } = userLine(at.file, at.span.line);
  return cell !== undefined ? { call_cell: cell, call_line: line } : { call_line: line };
}

/** a count as the contract writes it: a number, a polynomial string, null when not known */
function countToJson(c: Count): number | string | null {
  return c === undefined ? null : dimToJson(c);
}

/** --memory-budget's answer with its derivation: each term a polynomial in the batch variable. */
export function memoryToJson(r: MemoryReport) {
  const e = r.estimate;
  const perOptimizer = (f: (o: Optimizer) => Count) => Object.fromEntries(OPTIMIZERS.map((o) => [o, countToJson(f(o))]));
  return {
    estimate: true,
    budget_bytes: r.budgetBytes,
    dtype: e.dtype,
    batch: r.batch,
    params_bytes: countToJson(e.paramsBytes),
    gradients_bytes: countToJson(e.gradientsBytes),
    optimizer_state_bytes: perOptimizer((o) => e.optimizerStateBytes[o]),
    activations_bytes: countToJson(e.activationsBytes),
    layer_outputs_bytes: countToJson(e.layerOutputsBytes),
    operation_outputs_bytes: countToJson(e.operationOutputsBytes),
    input_bytes: countToJson(e.inputBytes),
    total_bytes: perOptimizer((o) => e.totalBytes[o]),
    largest_batch: perOptimizer((o) => r.largestBatch[o]),
    activations_rule: ACTIVATION_RULE,
    left_out: LEFT_OUT,
  };
}

export function renderJson(result: AnalysisResult, extras: JsonExtras = {}): string {
  return `${JSON.stringify(toContractJson(result, extras), null, 2)}\n`;
}
