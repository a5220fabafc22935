// Input shapes: parsed from `--input 1,3,32,32` / `N,3,H,W` / `4,50:int64`, or
// from a `# torchshape: input=...` comment.
import { SymDim, type Dim } from "../shapes/dim.js";
import { dtypeAliases, type DType } from "../shapes/tensor.js";
import type { InputSpec } from "./summary.js";

export class InputSpecError extends Error {}

export function parseInputSpec(text: string): InputSpec {
  const [dimsText, dtypeText] = text.trim().split(":");
  const dtype = dtypeText === undefined ? "float32" : dtypeAliases[dtypeText.trim()];
  if (!dtype) throw new InputSpecError(`unknown dtype '${dtypeText}' in input '${text}' (use float32, int64, int32, bool, float16, bfloat16, float64)`);
  const cleaned = dimsText.trim().replace(/^[[(]|[\])]$/g, "");
  if (cleaned === "") return { shape: [], dtype };
  const shape: Dim[] = cleaned.split(",").map((part) => {
    const p = part.trim();
    if (/^\d+$/.test(p)) return Number(p);
    if (/^[A-Za-z_]\w*$/.test(p)) return SymDim.variable(p);
    throw new InputSpecError(`malformed input shape '${text}': '${p}' is neither a size nor a name (expected e.g. 1,3,32,32 or N,3,H,W)`);
  });
  return { shape, dtype: dtype as DType };
}

export interface TorchshapeComment {
  readonly inputs: InputSpec[];
  readonly model?: string;
}

/** `# torchshape: model=Net(3) input=1,3,32,32 input=1,10:int64` */
export function parseTorchshapeComment(comment: string): TorchshapeComment | undefined {
  const m = /^\s*torchshape:\s*(.*)$/.exec(comment);
  if (!m) return undefined;
  const body = m[1];
  const inputs = [...body.matchAll(/(?:^|\s)input=(\S+)/g)].map((x) => parseInputSpec(x[1]));
  const modelMatch = /(?:^|\s)model=(.*?)(?=\s+input=|\s*$)/.exec(body);
  return { inputs, model: modelMatch?.[1]?.trim() };
}
