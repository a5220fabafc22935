// The terminal table, torchinfo's layout: the hierarchy to --depth, then totals.
import type { LayerRow, ModelSummary } from "../analysis/summary.js";
import { displayPath } from "./json.js";
import { placeText } from "../analysis/sourceFile.js";
import { inputToText, shapeToText } from "./shapeText.js";
import { countSum, rowMultAdds, torchinfoFigures, type Count } from "../compute/torchinfo.js";
import { dimEvaluate, dimToString } from "../shapes/dim.js";
import { torchinfoFooter, torchinfoNumber } from "./torchinfoFooter.js";
import { modelFlops } from "../compute/flops.js";
import { OPTIMIZERS, type MemoryReport } from "../compute/memory.js";

/** 18090 → "18,090" (by hand: toLocaleString loads ICU data, a cold-start cost) */
export function formatCount(n: number | undefined): string {
  return n === undefined ? "?" : String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** The columns torchinfo offers (its col_names), and flops beyond them. */
export const TABLE_COLUMNS = ["input_size", "output_size", "num_params", "params_percent", "kernel_size", "groups", "mult_adds", "trainable", "flops"] as const;
export type TableColumn = (typeof TABLE_COLUMNS)[number];
export const DEFAULT_COLUMNS: readonly TableColumn[] = ["input_size", "output_size", "num_params"];

const TITLES: Readonly<Record<TableColumn, string>> = {
  input_size: "Input shape",
  output_size: "Output shape",
  num_params: "Param #",
  params_percent: "Param %",
  kernel_size: "Kernel shape",
  groups: "Groups",
  mult_adds: "Mult-Adds",
  trainable: "Trainable",
  flops: "Flops",
};
const RIGHT_ALIGNED: ReadonlySet<TableColumn> = new Set(["num_params", "params_percent", "mult_adds", "flops"]);

export interface TableOptions {
  readonly depth?: number;
  readonly columns?: readonly TableColumn[];
  /** --memory-budget's answer for this model */
  readonly memory?: MemoryReport;
}

interface TableLine {
  readonly label: string;
  readonly cells: Partial<Record<TableColumn, string>>;
}

/** What a line says about a module: its parameters, trainable ones, mult-adds, kernel and groups. */
interface LineFacts {
  readonly params: number | undefined;
  readonly trainable: number | undefined;
  readonly multAdds: Count;
  readonly flops: Count;
  readonly kernelSize?: number | readonly number[];
  readonly groups?: number;
}

/** torchinfo's "Trainable": "--" without parameters, else True, False or Partial. */
function trainableText(params: number | undefined, trainable: number | undefined): string {
  if (params === undefined || trainable === undefined) return "?";
  if (params === 0) return "--";
  if (trainable === 0) return "False";
  return trainable === params ? "True" : "Partial";
}

function percentText(params: number | undefined, total: number | undefined): string {
  if (params === undefined || total === undefined) return "?";
  if (params === 0 || total === 0) return "--";
  return `${((100 * params) / total).toFixed(2)}%`;
}

function countText(c: Count): string {
  if (c === undefined) return "?";
  if (typeof c !== "number") return dimToString(c);
  return c === 0 ? "--" : formatCount(c);
}

function cellsOf(facts: LineFacts, input: string, output: string, total: number | undefined): TableLine["cells"] {
  const kernel = facts.kernelSize;
  return {
    input_size: input,
    output_size: output,
    num_params: formatCount(facts.params),
    params_percent: percentText(facts.params, total),
    kernel_size: kernel === undefined ? "--" : typeof kernel === "number" ? String(kernel) : `[${kernel.join(", ")}]`,
    groups: facts.groups === undefined ? "--" : String(facts.groups),
    mult_adds: countText(facts.multAdds),
    trainable: trainableText(facts.params, facts.trainable),
    flops: countText(facts.flops),
  };
}

/** Rows deeper than maxDepth fold into their ancestor at maxDepth: first input, last output, summed mult-adds. */
function linesFor(model: ModelSummary, maxDepth: number): TableLine[] {
  const typeOf = new Map(model.modules.map((m) => [m.name, m] as const));
  const multAdds = rowMultAdds(model);
  const total = model.totalParams;
  const lines: TableLine[] = [];
  const shownAncestors = new Set<string>();
  let folded: { name: string; first: LayerRow; last: LayerRow; multAdds: Count; flops: Count } | undefined;
  const flush = () => {
    if (!folded) return;
    const m = typeOf.get(folded.name);
    const facts = { params: m?.params, trainable: m?.trainableParams, multAdds: folded.multAdds, flops: folded.flops };
    lines.push({ label: label(folded.name, m?.type ?? "", maxDepth), cells: cellsOf(facts, shapeToText(folded.first.inputShape), shapeToText(folded.last.outputShape), total) });
    folded = undefined;
  };
  /** headers for the containers and user modules above a line, once each */
  const headersAbove = (parts: readonly string[], depth: number) => {
    for (let d = 1; d < depth; d++) {
      const ancestor = parts.slice(0, d).join(".");
      if (shownAncestors.has(ancestor)) continue;
      shownAncestors.add(ancestor);
      lines.push({ label: label(ancestor, typeOf.get(ancestor)?.type ?? "", d), cells: { num_params: "--" } });
    }
  };
  model.layers.forEach((row, i) => {
    const parts = row.name === "" ? [] : row.name.split(".");
    if (parts.length > maxDepth) {
      const ancestor = parts.slice(0, maxDepth).join(".");
      if (folded && folded.name === ancestor) {
        folded.last = row;
        folded.multAdds = countSum(folded.multAdds, multAdds[i]);
        folded.flops = countSum(folded.flops, row.flops);
      } else {
        flush();
        headersAbove(parts, maxDepth);
        folded = { name: ancestor, first: row, last: row, multAdds: multAdds[i], flops: row.flops };
      }
      return;
    }
    flush();
    headersAbove(parts, parts.length);
    const facts = { params: row.params, trainable: row.trainableParams, multAdds: multAdds[i], flops: row.flops, kernelSize: row.kernelSize, groups: row.groups };
    lines.push({ label: label(row.name, row.type, parts.length), cells: cellsOf(facts, shapeToText(row.inputShape), shapeToText(row.outputShape), total) });
  });
  flush();
  return lines;
}

function label(name: string, type: string, depth: number): string {
  const leaf = name.split(".").pop() || name;
  const indent = depth > 1 ? `${"│ ".repeat(depth - 2)}└─` : "";
  return `${indent}${leaf} (${type})`;
}

/** The table; `options` may be a depth alone (the older signature). */
export function renderModelTable(model: ModelSummary, options: number | TableOptions = {}): string {
  const { depth: maxDepth = 3, columns = DEFAULT_COLUMNS, memory } = typeof options === "number" ? { depth: options } : options;
  const lines = linesFor(model, maxDepth);
  const header: TableLine = { label: "Layer (type)", cells: TITLES };
  const all = [header, ...lines];
  // loops, not Math.max(...lines): a model of 20,000 rows would pass as many arguments
  const longest = (length: (l: TableLine) => number) => all.reduce((m, l) => Math.max(m, length(l)), 0);
  const labelWidth = longest((l) => l.label.length);
  const widths = columns.map((c) => longest((l) => (l.cells[c] ?? "").length));
  const fmt = (l: TableLine) =>
    [l.label.padEnd(labelWidth), ...columns.map((c, k) => (RIGHT_ALIGNED.has(c) ? (l.cells[c] ?? "").padStart(widths[k]) : (l.cells[c] ?? "").padEnd(widths[k])))].join("  ").trimEnd();
  const formatted = all.map(fmt);
  const width = formatted.reduce((m, l) => Math.max(m, l.length), 0);
  const rule = "=".repeat(width);
  const out: string[] = [];
  const inputs = model.inputs.map(inputToText).join(", ");
  out.push(rule, `${model.name}  (${placeText(displayPath(model.file), model.file, model.line - 1)})  input ${inputs || "?"}${model.inputSource === "symbolic" ? " (symbolic)" : model.inputSource === "unknown" ? " (unknown: no input given, and no layer tells its rank)" : ""}`, rule, formatted[0], rule);
  for (let i = 1; i < formatted.length; i++) out.push(formatted[i]);
  out.push(rule);
  const total = model.totalParams;
  const trainable = model.trainableParams;
  out.push(`Total params: ${formatCount(total)}`);
  out.push(`Trainable params: ${formatCount(trainable)}`);
  out.push(`Non-trainable params: ${total === undefined || trainable === undefined ? "?" : formatCount(total - trainable)}`);
  const footer = torchinfoFooter(torchinfoFigures(model));
  out.push(footer.multAdds, `Total flops${torchinfoNumber(modelFlops(model), false)}`);
  if (model.incomplete) out.push(`Incomplete: ${model.incomplete}`);
  out.push(rule, ...footer.sizes, rule);
  if (memory) out.push(...memoryLines(memory), rule);
  return out.join("\n");
}

/** bytes in MB; a figure linear in the batch as "fixed + per-sample × N" */
function megabytes(c: Count, batch: string): string {
  if (c === undefined) return "?";
  if (typeof c === "number") return `${(c / 1e6).toFixed(2)} MB`;
  const at = (n: number) => dimEvaluate(c, new Map([[batch, n]]));
  const [f0, f1, f2] = [at(0), at(1), at(2)];
  if (f0 === undefined || f1 === undefined || f2 === undefined || f2 - f1 !== f1 - f0) return `(${dimToString(c)}) B`;
  const perSample = `${((f1 - f0) / 1e6).toFixed(2)} MB × ${batch}`;
  return f0 === 0 ? perSample : `${(f0 / 1e6).toFixed(2)} MB + ${perSample}`;
}

/** --memory-budget: the estimate's terms in MB (polynomials in the batch), then the largest batch per optimizer. */
export function memoryLines(r: MemoryReport): string[] {
  const e = r.estimate;
  const MB = (c: Count) => megabytes(c, r.batch);
  const lines = [
    `Training memory estimate (${e.dtype} elements, batch ${r.batch}; leaves out allocator, workspace and CUDA context)`,
    `  params ${MB(e.paramsBytes)}, gradients ${MB(e.gradientsBytes)}, activations ${MB(e.activationsBytes)}, input ${MB(e.inputBytes)}`,
  ];
  for (const o of OPTIMIZERS) {
    const n = r.largestBatch[o];
    const fits = n === undefined ? "not solvable (the total is not linear in the batch)" : n === 0 ? "none (one sample does not fit)" : String(n);
    lines.push(`  ${o === "sgd" ? "SGD " : "Adam"} (optimizer state ${MB(e.optimizerStateBytes[o])}): total ${MB(e.totalBytes[o])}; largest batch in ${(r.budgetBytes / 1e9).toFixed(2)} GB: ${fits}`);
  }
  return lines;
}
