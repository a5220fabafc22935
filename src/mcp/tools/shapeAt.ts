// shape_at: the shapes a line assigns (what the editor's inlay hint shows after it,
// report/lineShapes) and the layers called on it, input → output.
import { userLine } from "../../analysis/sourceFile.js";
import type { LayerRow } from "../../analysis/summary.js";
import { assignmentsByLine, lineRepresentative, shapesLabel } from "../../report/lineShapes.js";
import { shapeToJson, shapeToText } from "../../report/shapeText.js";
import { editorAnalysis } from "../editorAnalysis.js";
import { fileArgument, inputsArgument, lineArguments, searchPathsArgument, type TorchshapeTool } from "../tool.js";
import { sourceOf, textLine } from "../toolFiles.js";

interface ShapeAtArgs {
  file: string;
  line: number;
  cell?: number;
  inputs?: string[];
  search_paths?: string[];
}

/** lines listed when the asked one has nothing, so the agent can ask again */
const maxLinesListed = 40;

function callText(row: LayerRow): string {
  return `${row.name} (${row.type}): ${shapeToText(row.inputShape)} -> ${shapeToText(row.outputShape)}`;
}

export const shapeAtTool: TorchshapeTool<ShapeAtArgs> = {
  name: "shape_at",
  title: "Tensor shapes on a line",
  description:
    "The shapes of the tensors assigned on one line of a model's forward (or of a function with shape annotations), the same as the editor's inlay hints, " +
    "and the layers called on that line with their input and output shapes. " +
    "Call it when you need a variable's shape at a point of forward: before writing a view/reshape/flatten, a torch.cat, a matmul, or a new layer whose in_features or in_channels must match. " +
    "Shapes with names (N, H, W) are symbolic: the file gives no input size, pass inputs to make them concrete.",
  arguments: (z) => ({ file: fileArgument(z), ...lineArguments(z), inputs: inputsArgument(z), search_paths: searchPathsArgument(z) }),
  run(args) {
    const source = sourceOf(args.file);
    const at = textLine(source, args.line, args.cell);
    const { result } = editorAnalysis(source, { inputs: args.inputs, searchPaths: args.search_paths });
    const byLine = assignmentsByLine(result, source.file);
    const targets = byLine.get(at) ?? [];
    const last = lineRepresentative(targets);
    const hint = last && shapesLabel(last.shapes);
    const rows = result.models.flatMap((m) => m.layers).filter((r) => r.calledAt?.file === source.file && r.calledAt.span.line <= at && at <= r.calledAt.span.endLine);
    const calls = [...new Set(rows.map(callText))];
    const place = `${args.file}:${args.cell !== undefined ? `cell ${args.cell}:` : ""}${args.line}`;
    const text: string[] = [];
    if (targets.length === 0 && calls.length === 0) {
      const lines = [...byLine.keys()].map((l) => userLine(source.file, l)).map((u) => (u.cell !== undefined ? `cell ${u.cell}:${u.line}` : String(u.line)));
      text.push(`${place}: no tensor is assigned and no layer is called on this line in the analysed forward passes.`);
      if (lines.length > 0) text.push(`Lines that assign tensors: ${lines.slice(0, maxLinesListed).join(", ")}${lines.length > maxLinesListed ? ", …" : ""}`);
      else text.push("No forward pass of this file was analysed (no model it can build, or a model needing constructor arguments).");
    } else {
      text.push(`${place}${hint !== undefined ? `: ${hint}` : ""}`);
      for (const t of targets) text.push(`  ${t.name} = ${[...new Set(t.shapes.map(shapeToText))].join(" | ")}`);
      if (calls.length > 0) text.push("Layers called on this line:", ...calls.map((c) => `  ${c}`));
    }
    const json = {
      file: args.file,
      ...(args.cell !== undefined ? { cell: args.cell } : {}),
      line: args.line,
      hint: hint ?? null,
      assignments: targets.map((t) => ({ name: t.name, column: t.col + 1, shapes: [...new Map(t.shapes.map((s) => [shapeToText(s), shapeToJson(s)])).values()] })),
      layer_calls: [...new Map(rows.map((r) => [callText(r), { name: r.name, type: r.type, input_shape: shapeToJson(r.inputShape), output_shape: shapeToJson(r.outputShape) }])).values()],
    };
    return [text.join("\n"), JSON.stringify(json, null, 2)];
  },
};
