// Input shapes: parsed from `--input 1,3,32,32` / `N,3,H,W` / `4,50:int64`, or
// from a `# torchshape: input=...` comment. A forward argument that is a list of
// tensors is a list of bracketed shapes: `[3,320,320],[3,320,320]` (two images),
// or wrapped as Python writes it, `[[3,320,320]]` (a list of one).
import { SymDim, type Dim } from "../shapes/dim.js";
import { dtypeAliases, type DType } from "../shapes/tensor.js";
import type { InputSpec } from "./summary.js";
import { BudgetError, parseBudget } from "../compute/budget.js";

export class InputSpecError extends Error {}

/** `[3,4]` or `[3,4]:int64` items separated by commas, each bracketed. */
const listItem = /^\s*\[([^[\]]*)\](?::\s*(\w+))?\s*$/;

export function parseInputSpec(text: string): InputSpec {
  const items = listItems(text);
  if (items) {
    if (items.length === 0) throw new InputSpecError(`malformed input '${text}': a list input needs at least one tensor, e.g. [3,320,320],[3,320,320]`);
    const specs = items.map((item) => {
      const m = listItem.exec(item);
      if (!m) throw new InputSpecError(`malformed input '${text}': '${item.trim()}' is not a bracketed shape (expected e.g. [3,320,320],[3,320,320])`);
      return tensorSpec(m[1], m[2], text);
    });
    return { shape: specs[0].shape, dtype: specs[0].dtype, items: specs };
  }
  const [dimsText, dtypeText] = text.trim().split(":");
  return tensorSpec(dimsText.trim().replace(/^[[(]|[\])]$/g, ""), dtypeText, text);
}

/**
 * The items of a list input, or undefined for a single tensor: a list is two or
 * more bracketed shapes at the top level, or one pair of brackets around them.
 */
function listItems(text: string): string[] | undefined {
  const trimmed = text.trim();
  const top = splitTopLevel(trimmed, text);
  if (top.length > 1 && top.some((t) => t.trim().startsWith("["))) return top;
  if (/^\[\s*\[/.test(trimmed)) {
    const close = matchingBracket(trimmed, text);
    if (close !== trimmed.length - 1) throw new InputSpecError(`malformed input '${text}': unexpected text after the list`);
    const inner = trimmed.slice(1, -1).trim();
    return inner === "" ? [] : splitTopLevel(inner, text);
  }
  return undefined;
}

/** split at the commas that are outside brackets */
function splitTopLevel(text: string, whole: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "[") depth++;
    else if (c === "]") {
      depth--;
      if (depth < 0) throw new InputSpecError(`malformed input '${whole}': unbalanced brackets`);
    } else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) throw new InputSpecError(`malformed input '${whole}': unbalanced brackets`);
  parts.push(text.slice(start));
  return parts;
}

function matchingBracket(text: string, whole: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "[") depth++;
    else if (text[i] === "]" && --depth === 0) return i;
  }
  throw new InputSpecError(`malformed input '${whole}': unbalanced brackets`);
}

function tensorSpec(dimsText: string, dtypeText: string | undefined, whole: string): InputSpec {
  const dtype = dtypeText === undefined ? "float32" : dtypeAliases[dtypeText.trim()];
  if (!dtype) throw new InputSpecError(`unknown dtype '${dtypeText}' in input '${whole}' (use float32, int64, int32, bool, float16, bfloat16, float64)`);
  const cleaned = dimsText.trim();
  if (cleaned === "") return { shape: [], dtype };
  const shape: Dim[] = cleaned.split(",").map((part) => {
    const p = part.trim();
    if (/^\d+$/.test(p)) return Number(p);
    if (/^[A-Za-z_]\w*$/.test(p)) return SymDim.variable(p);
    throw new InputSpecError(`malformed input shape '${whole}': '${p}' is neither a size nor a name (expected e.g. 1,3,32,32 or N,3,H,W)`);
  });
  return { shape, dtype: dtype as DType };
}

export interface TorchshapeComment {
  readonly inputs: InputSpec[];
  readonly model?: string;
  /** `budget=params<=12M,flops<=4.2G`, checked readable (src/compute/budget.ts) */
  readonly budget?: string;
}

/** `# torchshape: model=Net(3) input=1,3,32,32 input=1,10:int64 input=[3,64,64],[3,48,64] budget=params<=12M` */
export function parseTorchshapeComment(comment: string): TorchshapeComment | undefined {
  const m = /^\s*torchshape:\s*(.*)$/.exec(comment);
  if (!m) return undefined;
  const body = m[1];
  const inputs = [...body.matchAll(/(?:^|\s)input=(\S+)/g)].map((x) => parseInputSpec(x[1]));
  const modelMatch = /(?:^|\s)model=(.*?)(?=\s+(?:input|budget)=|\s*$)/.exec(body);
  const budget = /(?:^|\s)budget=(\S+)/.exec(body)?.[1];
  if (budget !== undefined) {
    try {
      parseBudget(budget, "");
    } catch (e) {
      if (e instanceof BudgetError) throw new InputSpecError(e.message);
      throw e;
    }
  }
  return { inputs, model: modelMatch?.[1]?.trim(), ...(budget !== undefined ? { budget } : {}) };
}
