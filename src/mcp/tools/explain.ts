// explain: for a diagnostic on a line, the chain of sizes that leads to it: the
// model's input and every layer call of the forward pass up to the fault (the rows
// that had begun when it was found, Diagnostic.rowsBefore), then the diagnostic as
// check prints it, with its related places and fix.
import { userLine } from "../../analysis/sourceFile.js";
import type { AnalysisResult, LayerRow } from "../../analysis/summary.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { diagnosticLines } from "../../report/checkText.js";
import { diagnosticToJson, displayPath } from "../../report/json.js";
import { inputToJson, inputToText, shapeToJson, shapeToText } from "../../report/shapeText.js";
import { editorAnalysis } from "../editorAnalysis.js";
import { fileArgument, inputsArgument, lineArguments, searchPathsArgument, type TorchshapeTool } from "../tool.js";
import { sourceOf, textLine } from "../toolFiles.js";

interface ExplainArgs {
  file: string;
  line: number;
  cell?: number;
  inputs?: string[];
  search_paths?: string[];
}

/** the rows shown before the fault; a deep network's earlier ones are counted, not listed */
const maxChainRows = 16;

function isOnLine(d: Diagnostic, file: string, line: number): boolean {
  const { location } = d;
  if (location.file === file && location.span.line <= line && line <= location.span.endLine) return true;
  return d.related.some((r) => r.location.file === file && r.location.span.line === line);
}

function placeOf(row: LayerRow): string {
  const at = row.calledAt ?? row.definedAt;
  if (!at) return "";
  const u = userLine(at.file, at.span.line);
  return ` (line ${u.cell !== undefined ? `${u.line} of cell ${u.cell}` : u.line})`;
}

/** Where a model's input came from (ModelSummary.inputSource), as a clause. */
const inputSources: Readonly<Record<string, string>> = {
  option: "as given",
  default: "as given",
  comment: "from its `# torchshape: input=` comment",
  config: "from [tool.torchshape.inputs]",
  call: "from its call in the file",
  summary: "from a summary(...) call",
  annotation: "from forward's shape annotations",
  symbolic: "symbolic: the file gives no input",
};

interface Chain {
  readonly model: string;
  readonly inputs: string[];
  readonly inputSource: string;
  readonly rows: readonly LayerRow[];
  readonly omitted: number;
}

/** The rows of the diagnostic's model up to the fault; undefined when it was not found in a forward pass. */
function chainOf(d: Diagnostic, result: AnalysisResult): Chain | undefined {
  if (d.rowsBefore === undefined) return undefined;
  const model = result.models.find((m) => m.name === d.model);
  if (!model) return undefined;
  const ran = model.layers.slice(0, d.rowsBefore);
  const rows = ran.slice(-maxChainRows);
  return { model: model.name, inputs: model.inputs.map(inputToText), inputSource: model.inputSource, rows, omitted: ran.length - rows.length };
}

function chainText(chain: Chain): string[] {
  const lines = [`How the sizes get there (${chain.model}, input ${chain.inputs.join(", ") || "none"} ${inputSources[chain.inputSource] ?? `from ${chain.inputSource}`}):`];
  if (chain.omitted > 0) lines.push(`  … ${chain.omitted} earlier layer calls`);
  for (const row of chain.rows) lines.push(`  ${row.name} (${row.type})${placeOf(row)}: ${shapeToText(row.inputShape)} -> ${shapeToText(row.outputShape)}`);
  if (chain.rows.length === 0) lines.push("  (found before any layer ran: on the model's input itself)");
  return lines;
}

export const explainTool: TorchshapeTool<ExplainArgs> = {
  name: "explain",
  title: "Why a shape error happens",
  description:
    "For a shape error or warning on a line (as check reports it, on the line of the fault or of a layer it relates), the chain of sizes that leads there: " +
    "the model's input and each layer call of the forward pass up to the fault with its input and output shape, then the diagnostic with the sizes it involves, the related places and the fix. " +
    "Call it when check reports an error you must fix and it is not obvious where a size comes from (\"392 = 8 × 7 × 7 after pool2\"), before changing a layer's sizes.",
  arguments: (z) => ({ file: fileArgument(z), ...lineArguments(z), inputs: inputsArgument(z), search_paths: searchPathsArgument(z) }),
  run(args) {
    const source = sourceOf(args.file);
    const at = textLine(source, args.line, args.cell);
    const { result, diagnostics } = editorAnalysis(source, { inputs: args.inputs, searchPaths: args.search_paths });
    const here = diagnostics.filter((d) => isOnLine(d, source.file, at));
    const place = `${args.file}:${args.cell !== undefined ? `cell ${args.cell}:` : ""}${args.line}`;
    const text: string[] = [];
    if (here.length === 0) {
      text.push(`${place}: no diagnostic on this line.`);
      const elsewhere = diagnostics.filter((d) => d.location.file === source.file);
      if (elsewhere.length > 0) text.push("Diagnostics of this file:", ...elsewhere.map((d) => `  ${diagnosticLines(d)[0]}`));
      else text.push("The file has no shape diagnostics (run check for what could not be analysed).");
    }
    const explained = here.map((d) => {
      const chain = chainOf(d, result);
      text.push([...diagnosticLines(d), ...(chain ? chainText(chain) : ["(found while building the model, before its forward pass)"])].join("\n"));
      return {
        ...diagnosticToJson(d),
        chain: chain
          ? {
              model: chain.model,
              inputs: result.models.find((m) => m.name === chain.model)!.inputs.map(inputToJson),
              input_source: chain.inputSource,
              earlier_calls_omitted: chain.omitted,
              calls: chain.rows.map((r) => ({ name: r.name, type: r.type, input_shape: shapeToJson(r.inputShape), output_shape: shapeToJson(r.outputShape), call_line: r.calledAt ? userLine(r.calledAt.file, r.calledAt.span.line).line : null })),
            }
          : null,
      };
    });
    return [text.join("\n\n"), JSON.stringify({ file: displayPath(source.file), line: args.line, diagnostics: explained }, null, 2)];
  },
};
