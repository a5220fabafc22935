// A code lens on each model class: its total parameters and input → output shape.
import type { CodeLens } from "vscode-languageserver";
import type { AnalysisResult, ModelSummary } from "../analysis/summary.js";
import { inputToText, shapeToText } from "../report/shapeText.js";
import { formatCount } from "../report/table.js";

export function modelLensTitle(m: ModelSummary): string {
  const trainable = m.trainableParams !== undefined && m.trainableParams !== m.totalParams ? ` (${formatCount(m.trainableParams)} trainable)` : "";
  const io = m.inputSource === "unknown" ? "" : ` · ${m.inputs.map((i) => (i.items ? inputToText(i) : shapeToText(i.shape))).join(", ")} → ${shapeToText(m.outputShape)}`;
  return `${m.name}: ${formatCount(m.totalParams)} params${trainable}${io}`;
}

export function codeLensesFor(result: AnalysisResult, file: string): CodeLens[] {
  return result.models
    .filter((m) => m.file === file)
    .map((m) => {
      const line = m.line - 1;
      // a lens without a command id is a label: nothing to run when clicked
      return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, command: { title: modelLensTitle(m), command: "" } };
    });
}
