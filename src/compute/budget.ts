// A model's declared cost budget, and the `budget` warning when it grows past it:
// "someone doubled the width" caught in review, before it is merged.
//
//   # torchshape: budget=params<=12M,flops<=4.2G
//   [tool.torchshape.budget]
//   Net = "params<=12M,flops<=4.2G,memory<=200MB"
//
// Figures: params (all parameters), flops (every matrix product, 2 per multiply-add),
// mult-adds (torchinfo's total), memory (torchinfo's estimated total size, bytes).
import type { ModelSummary } from "../analysis/summary.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { Fix, Message, type DiagnosticMessage } from "../diagnostics/messages.js";
import { dimToString, type Dim } from "../shapes/dim.js";
import { modelFlops } from "./flops.js";
import { parseByteSize } from "./memory.js";
import { torchinfoFigures } from "./torchinfo.js";

export const BUDGET_FIGURES = ["params", "flops", "mult-adds", "memory"] as const;
export type BudgetFigure = (typeof BUDGET_FIGURES)[number];

export interface Budget {
  readonly limits: ReadonlyMap<BudgetFigure, number>;
  /** where it was declared, for the message: "the comment on line 3", "pyproject.toml" */
  readonly declaredAt: string;
}

export class BudgetError extends Error {}

const countUnits: Readonly<Record<string, number>> = { "": 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12 };

/** `12M`, `4.2G`, `1500000`, `3e9`: a count with an optional decimal suffix. */
function parseCount(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?(?:e\d+)?)([kmgt]?)$/i.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]) * countUnits[m[2].toLowerCase()];
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** `params<=12M,flops<=4.2G`: each figure at most once. */
export function parseBudget(text: string, declaredAt: string): Budget {
  const limits = new Map<BudgetFigure, number>();
  for (const part of text.split(",")) {
    const m = /^\s*([a-z-]+)\s*<=\s*(\S+)\s*$/i.exec(part);
    if (!m) throw new BudgetError(`malformed budget '${text}': '${part.trim()}' is not FIGURE<=LIMIT (e.g. params<=12M,flops<=4.2G)`);
    const figure = m[1].toLowerCase() as BudgetFigure;
    if (!BUDGET_FIGURES.includes(figure)) throw new BudgetError(`unknown budget figure '${m[1]}' in '${text}' (${BUDGET_FIGURES.join(", ")})`);
    const limit = figure === "memory" ? parseByteSize(m[2]) : parseCount(m[2]);
    if (limit === undefined) throw new BudgetError(`malformed budget limit '${m[2]}' for ${figure} (e.g. ${figure === "memory" ? "200MB" : "12M"})`);
    if (limits.has(figure)) throw new BudgetError(`budget '${text}' sets ${figure} twice`);
    limits.set(figure, limit);
  }
  return { limits, declaredAt };
}

function figureOf(model: ModelSummary, figure: BudgetFigure): Dim | undefined {
  switch (figure) {
    case "params":
      return model.totalParams;
    case "flops":
      return modelFlops(model);
    case "mult-adds":
      return torchinfoFigures(model).multAdds;
    case "memory":
      return torchinfoFigures(model).estimatedTotalBytes;
  }
}

/** 12,345,678 → "12.35M"; bytes as MB. */
function readable(figure: BudgetFigure, n: number): string {
  if (figure === "memory") return `${(n / 1e6).toFixed(2)} MB`;
  for (const [suffix, unit] of [["T", 1e12], ["G", 1e9], ["M", 1e6], ["k", 1e3]] as const) if (n >= unit) return `${Number((n / unit).toFixed(2))}${suffix}`;
  return String(n);
}

/**
 * One `budget` warning per figure past its limit. A figure that depends on a
 * symbolic size (a batch N) is an info: which sizes it holds for is not a fact
 * of the model alone; a figure not known is said so, never passed.
 */
export function budgetDiagnostics(model: ModelSummary, budget: Budget): Diagnostic[] {
  const location = { file: model.file, span: { line: model.line - 1, col: 0, endLine: model.line - 1, endCol: 0 } };
  const diagnostic = (severity: Diagnostic["severity"], message: DiagnosticMessage): Diagnostic => ({ severity, code: message.code, message: message.text, location, related: [], model: model.name });
  return [...budget.limits].flatMap(([figure, limit]): Diagnostic[] => {
    const value = figureOf(model, figure);
    const stated = { model: model.name, figure, limit: readable(figure, limit), declaredAt: budget.declaredAt };
    if (value === undefined) return [diagnostic("info", Message.budgetUnknown(stated))];
    if (typeof value !== "number") return [diagnostic("info", Message.budgetSymbolic({ ...stated, value: dimToString(value) }))];
    if (value <= limit) return [];
    const percent = Number(((value / limit - 1) * 100).toFixed(1));
    return [{ ...diagnostic("warning", Message.budgetExceeded({ ...stated, value: readable(figure, value), percent })), fix: Fix.budgetReduce({ figure }) }];
  });
}
