// The seed article's table, for notes and docs: layer, params, in → out.
import type { ModelSummary } from "../analysis/summary.js";
import { formatCount } from "./table.js";
import { shapeToText } from "./shapeText.js";

export function renderModelMarkdown(model: ModelSummary): string {
  const out = [`### ${model.name}`, "", "| layer | type | params | in → out |", "|---|---|---:|---|"];
  for (const l of model.layers) out.push(`| ${l.name || "(model)"} | ${l.type} | ${formatCount(l.params)} | ${shapeToText(l.inputShape)} → ${shapeToText(l.outputShape)} |`);
  out.push("", `Total: ${formatCount(model.totalParams)} parameters (${formatCount(model.trainableParams)} trainable).`);
  return out.join("\n");
}
