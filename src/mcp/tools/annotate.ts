// annotate: the shape annotations `torchshape annotate --check` would write into each
// model's forward signature and return type, as a diff and as edits; nothing is written.
import { annotateFile } from "../../annotate/annotateFile.js";
import { annotationStyles, type AnnotationStyle } from "../../annotate/annotationEdits.js";
import { unifiedDiff } from "../../annotate/lineDiff.js";
import { displayPath } from "../../report/json.js";
import { fileArgument, searchPathsArgument, type TorchshapeTool } from "../tool.js";
import { existingPath } from "../toolFiles.js";
import { ToolInputError } from "../toolResult.js";

interface AnnotateArgs {
  file: string;
  style?: string;
  search_paths?: string[];
}

export const annotateTool: TorchshapeTool<AnnotateArgs> = {
  name: "annotate",
  title: "Shape annotations for forward",
  description:
    "The shape annotations of each model's forward arguments and return value, inferred from the source (jaxtyping by default: Float[Tensor, \"batch 3 32 32\"], or torchtyping, or comments), " +
    "as a unified diff of the file and as edits; the file is not changed, and what is annotated already is left alone. " +
    "Call it when you add type annotations or document tensor shapes in a model, or to see at a glance what forward takes and returns.",
  arguments: (z) => ({
    file: fileArgument(z),
    style: z.string().optional().describe(`annotation style: ${annotationStyles.join(", ")} (default jaxtyping)`),
    search_paths: searchPathsArgument(z),
  }),
  run(args) {
    const style = (args.style ?? "jaxtyping") as AnnotationStyle;
    if (!annotationStyles.includes(style)) throw new ToolInputError(`unknown style '${args.style}' (${annotationStyles.join(", ")})`);
    const file = existingPath(args.file);
    const { before, after, edits } = annotateFile(file, style, { searchPaths: args.search_paths });
    const diff = unifiedDiff(before, after, displayPath(file));
    const text = diff || `${args.file}: nothing to annotate (every forward argument and return that has a known shape is annotated already, or none was inferred)`;
    const json = { file: displayPath(file), style, edits: [...edits].sort((a, b) => a.line - b.line || a.col - b.col).map((e) => ({ line: e.line + 1, column: e.col + 1, end_line: e.endLine + 1, end_column: e.endCol + 1, text: e.text })) };
    return [text, JSON.stringify(json, null, 2)];
  },
};
