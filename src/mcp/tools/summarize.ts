// summarize: what the command line prints for a file, for an agent: the table, then
// the contract's JSON (shared/design/contract.md).
import { analyzeFile } from "../../analysis/analyze.js";
import { parseInputSpec } from "../../analysis/inputSpec.js";
import { findEnvironment } from "../../environment/discover.js";
import { renderJson } from "../../report/json.js";
import { renderNotes } from "../../report/notes.js";
import { renderModelTable } from "../../report/table.js";
import { fileArgument, inputsArgument, searchPathsArgument, type TorchshapeTool } from "../tool.js";
import { existingPath } from "../toolFiles.js";
import { ToolInputError } from "../toolResult.js";

interface SummarizeArgs {
  file: string;
  model?: string;
  inputs?: string[];
  depth?: number;
  search_paths?: string[];
}

export const summarizeTool: TorchshapeTool<SummarizeArgs> = {
  name: "summarize",
  title: "Layer shapes and parameter counts",
  description:
    "Per-layer input and output shapes, parameter counts, flops and memory figures of the PyTorch nn.Module models in a .py file or notebook, " +
    "read from the source without running Python (what torchinfo prints after running the model). " +
    "Call it before editing a layer's sizes or the model's input size, to see what every layer receives and returns, and after the edit to confirm the output shape and totals. " +
    "Returns a text table, then the JSON: rows in forward order (name, type, params, input_shape, output_shape, file, line), totals, and shape diagnostics.",
  arguments: (z) => ({
    file: fileArgument(z),
    model: z.string().optional().describe('which model: a class or factory name, or a call with arguments, e.g. "Net", "resnet18(num_classes=10)"; default: every model of the file'),
    inputs: inputsArgument(z),
    depth: z.number().int().min(0).optional().describe("nesting depth shown in the table (default 3); the JSON has every row"),
    search_paths: searchPathsArgument(z),
  }),
  run(args) {
    const file = existingPath(args.file);
    const inputs = args.inputs?.map(parseInputSpec);
    const result = analyzeFile(file, { model: args.model, inputs, searchPaths: args.search_paths, environment: findEnvironment(file) });
    if (result.models.length === 0 && result.diagnostics.length > 0) throw new ToolInputError(result.diagnostics.map((d) => d.message).join("; "));
    const tables = result.models.map((m) => renderModelTable(m, { depth: args.depth ?? 3 }));
    return [`${tables.join("\n\n")}\n${renderNotes(result, "text")}`, renderJson(result)];
  },
};
