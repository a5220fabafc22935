// The terminal table, torchinfo's layout: the hierarchy to --depth, then totals.
import type { LayerRow, ModelSummary } from "../analysis/summary.js";
import { displayPath } from "./json.js";
import { inputToText, shapeToText } from "./shapeText.js";
import { torchinfoFigures } from "../compute/torchinfo.js";
import { torchinfoFooter } from "./torchinfoFooter.js";

/** 18090 → "18,090" (by hand: toLocaleString loads ICU data, a cold-start cost) */
export function formatCount(n: number | undefined): string {
  return n === undefined ? "?" : String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

interface TableLine {
  readonly label: string;
  readonly input: string;
  readonly output: string;
  readonly params: string;
}

/** Rows deeper than maxDepth fold into their ancestor at maxDepth: first input, last output. */
function linesFor(model: ModelSummary, maxDepth: number): TableLine[] {
  const typeOf = new Map(model.modules.map((m) => [m.name, m] as const));
  const lines: TableLine[] = [];
  const shownAncestors = new Set<string>();
  let folded: { name: string; first: LayerRow; last: LayerRow } | undefined;
  const flush = () => {
    if (!folded) return;
    const m = typeOf.get(folded.name);
    lines.push({ label: label(folded.name, m?.type ?? "", maxDepth), input: shapeToText(folded.first.inputShape), output: shapeToText(folded.last.outputShape), params: formatCount(m?.params) });
    folded = undefined;
  };
  /** headers for the containers and user modules above a line, once each */
  const headersAbove = (parts: readonly string[], depth: number) => {
    for (let d = 1; d < depth; d++) {
      const ancestor = parts.slice(0, d).join(".");
      if (shownAncestors.has(ancestor)) continue;
      shownAncestors.add(ancestor);
      lines.push({ label: label(ancestor, typeOf.get(ancestor)?.type ?? "", d), input: "", output: "", params: "--" });
    }
  };
  for (const row of model.layers) {
    const parts = row.name === "" ? [] : row.name.split(".");
    if (parts.length > maxDepth) {
      const ancestor = parts.slice(0, maxDepth).join(".");
      if (folded && folded.name === ancestor) folded.last = row;
      else {
        flush();
        headersAbove(parts, maxDepth);
        folded = { name: ancestor, first: row, last: row };
      }
      continue;
    }
    flush();
    headersAbove(parts, parts.length);
    lines.push({ label: label(row.name, row.type, parts.length), input: shapeToText(row.inputShape), output: shapeToText(row.outputShape), params: formatCount(row.params) });
  }
  flush();
  return lines;
}

function label(name: string, type: string, depth: number): string {
  const leaf = name.split(".").pop() || name;
  const indent = depth > 1 ? `${"│ ".repeat(depth - 2)}└─` : "";
  return `${indent}${leaf} (${type})`;
}

export function renderModelTable(model: ModelSummary, maxDepth = 3): string {
  const lines = linesFor(model, maxDepth);
  const header: TableLine = { label: "Layer (type)", input: "Input shape", output: "Output shape", params: "Param #" };
  const all = [header, ...lines];
  const w = {
    label: Math.max(...all.map((l) => l.label.length)),
    input: Math.max(...all.map((l) => l.input.length)),
    output: Math.max(...all.map((l) => l.output.length)),
    params: Math.max(...all.map((l) => l.params.length)),
  };
  const fmt = (l: TableLine) => `${l.label.padEnd(w.label)}  ${l.input.padEnd(w.input)}  ${l.output.padEnd(w.output)}  ${l.params.padStart(w.params)}`;
  const width = fmt(header).length;
  const rule = "=".repeat(width);
  const out: string[] = [];
  const inputs = model.inputs.map(inputToText).join(", ");
  out.push(rule, `${model.name}  (${displayPath(model.file)}:${model.line})  input ${inputs || "?"}${model.inputSource === "symbolic" ? " (symbolic)" : model.inputSource === "unknown" ? " (unknown: no input given, and no layer tells its rank)" : ""}`, rule, fmt(header), rule);
  for (const l of lines) out.push(fmt(l));
  out.push(rule);
  const total = model.totalParams;
  const trainable = model.trainableParams;
  out.push(`Total params: ${formatCount(total)}`);
  out.push(`Trainable params: ${formatCount(trainable)}`);
  out.push(`Non-trainable params: ${total === undefined || trainable === undefined ? "?" : formatCount(total - trainable)}`);
  const footer = torchinfoFooter(torchinfoFigures(model));
  out.push(footer.multAdds);
  if (model.incomplete) out.push(`Incomplete: ${model.incomplete}`);
  out.push(rule, ...footer.sizes, rule);
  return out.join("\n");
}
