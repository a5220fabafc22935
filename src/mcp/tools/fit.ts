// fit: the largest training batch that fits a memory budget, as --memory-budget
// solves it (compute/batchFit.ts), with the terms of the estimate.
import { analyzeFile } from "../../analysis/analyze.js";
import { parseInputSpec } from "../../analysis/inputSpec.js";
import { symbolicBatchMemory } from "../../compute/batchFit.js";
import { memoryDType, parseByteSize } from "../../compute/memory.js";
import { findEnvironment } from "../../environment/discover.js";
import { displayPath, memoryToJson } from "../../report/json.js";
import { inputToJson, inputToText } from "../../report/shapeText.js";
import { memoryLines } from "../../report/table.js";
import { fileArgument, inputsArgument, searchPathsArgument, type TorchshapeTool } from "../tool.js";
import { existingPath } from "../toolFiles.js";
import { ToolInputError } from "../toolResult.js";

interface FitArgs {
  file: string;
  model?: string;
  budget: string;
  dtype?: string;
  inputs?: string[];
  search_paths?: string[];
}

export const fitTool: TorchshapeTool<FitArgs> = {
  name: "fit",
  title: "Largest batch in a memory budget",
  description:
    "The largest training batch whose estimated memory fits a budget (e.g. 24GB, a GPU's memory), for SGD and for Adam: parameters, gradients, optimizer state, every tensor the forward pass allocates (kept for backward), and the input, " +
    "as a polynomial in the batch size N, from the source without running anything. " +
    "Call it before choosing a batch size, a model width or an input resolution for training, or when a run goes out of memory. " +
    "It is an estimate: it leaves out the CUDA context, cuDNN workspace, allocator caching and the temporaries inside built-in layers.",
  arguments: (z) => ({
    file: fileArgument(z),
    model: z.string().optional().describe('which model: a class or factory name, or a call, e.g. "Net", "resnet50()"; default: every model of the file'),
    budget: z.string().describe("the memory available, e.g. 24GB, 80GB, 8000MiB"),
    dtype: z.string().optional().describe("element type of parameters and activations: float32 (default), bf16, fp16, float64"),
    inputs: inputsArgument(z),
    search_paths: searchPathsArgument(z),
  }),
  run(args) {
    const budget = parseByteSize(args.budget);
    if (budget === undefined) throw new ToolInputError(`budget must be a positive size such as 24GB or 8000MiB, not '${args.budget}'`);
    const dtype = memoryDType(args.dtype ?? "float32");
    if (!dtype) throw new ToolInputError(`unknown dtype '${args.dtype}' (float32, bf16, fp16, float64)`);
    const file = existingPath(args.file);
    const options = { searchPaths: args.search_paths, environment: findEnvironment(file) };
    const result = analyzeFile(file, { ...options, model: args.model, inputs: args.inputs?.map(parseInputSpec) });
    if (result.models.length === 0) throw new ToolInputError(result.diagnostics.map((d) => d.message).join("; ") || `${args.file}: no model could be built`);
    const models = result.models.map((m) => ({ model: m, memory: symbolicBatchMemory(m, budget, dtype, options) }));
    const text = models.map(({ model, memory }) => {
      const head = `${model.name} (${displayPath(model.file)}:${model.line}), input ${model.inputs.map(inputToText).join(", ") || "none"}`;
      return [head, ...(memory ? memoryLines(memory) : ["  no batch to vary: the model's input shape is not known (give inputs, e.g. [\"N,3,224,224\"])"])].join("\n");
    });
    const json = models.map(({ model, memory }) => ({ name: model.name, file: displayPath(model.file), line: model.line, inputs: model.inputs.map(inputToJson), memory: memory ? memoryToJson(memory) : null }));
    return [text.join("\n\n"), JSON.stringify({ models: json }, null, 2)];
  },
};
