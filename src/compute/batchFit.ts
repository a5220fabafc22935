// The largest batch that fits a memory budget (--memory-budget, and the MCP tool
// `fit`): the model is analysed again with its batch symbolic, the first dimension
// of every input becoming N unless it is a name already, and the estimate's
// polynomials in N are solved (memory.ts).
import { analyzeFile, type AnalyzeOptions } from "../analysis/analyze.js";
import type { ModelSummary } from "../analysis/summary.js";
import { dimToString, SymDim } from "../shapes/dim.js";
import type { DType } from "../shapes/tensor.js";
import { memoryReport, type MemoryReport } from "./memory.js";

/** The model's batch variable: its first input's leading dimension if that is a name, else N; undefined when there is no batch to vary. */
export function batchVariable(model: ModelSummary): string | undefined {
  const first = model.inputs[0];
  if (!first || first.unknown || first.shape.length === 0) return undefined;
  const lead = first.shape[0];
  const batch = typeof lead === "number" ? "N" : dimToString(lead);
  return /^[A-Za-z_]\w*$/.test(batch) ? batch : undefined;
}

/**
 * The memory report of a model analysed with its batch symbolic.
 * @param options how the model was analysed (search paths, environment, torch version); its model and inputs are replaced
 */
export function symbolicBatchMemory(model: ModelSummary, budgetBytes: number, dtype: DType, options: AnalyzeOptions): MemoryReport | undefined {
  const batch = batchVariable(model);
  if (batch === undefined) return undefined;
  const inputs = model.inputs.map((i) => (i.shape.length > 0 && typeof i.shape[0] === "number" ? { ...i, shape: [SymDim.variable(batch), ...i.shape.slice(1)] } : i));
  const symbolic = analyzeFile(model.file, { ...options, model: model.name, inputs }).models[0];
  return symbolic ? memoryReport(symbolic, batch, budgetBytes, dtype) : undefined;
}
