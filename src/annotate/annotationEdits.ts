// `torchshape annotate`: the inferred shapes written into each model's forward
// signature and return type, as text edits. Only annotations and one import line
// change: a parameter or return that has an annotation already is left as it is,
// so a second run changes nothing. Symbolic dimensions get readable names.
import type { AnalysisResult, InputSpec, ModelSummary, ReportedShape } from "../analysis/summary.js";
import { annotationVocabulary } from "../analysis/shapeAnnotations.js";
import type { ClassDef, FunctionDef, PyModule, Stmt } from "../parse/ast.js";
import { dimToString, dimVariables, type Dim } from "../shapes/dim.js";
import type { DType } from "../shapes/tensor.js";

export type AnnotationStyle = "jaxtyping" | "torchtyping" | "comment";
export const annotationStyles: readonly AnnotationStyle[] = ["jaxtyping", "torchtyping", "comment"];

/** Replace the text from (line, col) to (endLine, endCol), 0-based. */
export interface TextEdit {
  readonly line: number;
  readonly col: number;
  readonly endLine: number;
  readonly endCol: number;
  readonly text: string;
}

/** Readable names for the one-letter sizes torchshape and users write. */
const readableNames: Readonly<Record<string, string>> = { N: "batch", B: "batch", H: "height", W: "width", C: "channels", T: "time", L: "length", D: "depth", S: "seq" };

/** The name a symbolic size is written with: `N` → `batch`, others as they are. */
function readableDimNames(inputs: readonly InputSpec[]): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const input of inputs) for (const d of input.shape) for (const v of dimVariables(d)) taken.add(v);
  for (const v of taken) {
    const readable = readableNames[v];
    names.set(v, readable && !taken.has(readable) && ![...names.values()].includes(readable) ? readable : v);
  }
  return names;
}

/** A dimension as annotation text: `batch`, `3`, `height//2` (jaxtyping's expressions take no spaces). */
function dimText(d: Dim, names: ReadonlyMap<string, string>): string {
  return dimToString(d)
    .replace(/[A-Za-z_]\w*/g, (v) => names.get(v) ?? v)
    .replace(/\s+/g, "");
}

const isName = (text: string) => /^[A-Za-z_]\w*$/.test(text) || /^\d+$/.test(text);

function dtypeWrapper(dtype: DType): string {
  if (dtype === "bool") return "Bool";
  return /^u?int/.test(dtype) ? "Int" : "Float";
}

interface Writer {
  /** the annotation text of one tensor */
  annotation(shape: readonly Dim[], dtype: DType): string;
  /** the names it needs imported, as `from module import name` */
  readonly imports: Map<string, Set<string>>;
}

function styleWriter(style: AnnotationStyle, syntax: PyModule, names: ReadonlyMap<string, string>): Writer {
  const vocabulary = annotationVocabulary(syntax);
  const imports = new Map<string, Set<string>>();
  const localName = (qualified: string, fallbackModule: string, name: string): string => {
    for (const [local, q] of vocabulary.imported) if (q === qualified) return local;
    if (!imports.has(fallbackModule)) imports.set(fallbackModule, new Set());
    imports.get(fallbackModule)!.add(name);
    return name;
  };
  const tensorName = () => {
    for (const [local, q] of vocabulary.imported) if (q === "torch.Tensor") return local;
    for (const [local, q] of vocabulary.imported) if (q === "torch") return `${local}.Tensor`;
    return localName("torch.Tensor", "torch", "Tensor");
  };
  if (style === "torchtyping")
    return {
      imports,
      annotation: (shape, dtype) => {
        const dims = shape.map((d) => {
          const t = dimText(d, names);
          return /^\d+$/.test(t) ? t : isName(t) ? JSON.stringify(t) : "-1";
        });
        const wrapper = localName("torchtyping.TensorType", "torchtyping", "TensorType");
        const dtypeArg = dtype === "float32" ? [] : [dtype === "bool" ? "bool" : /^u?int/.test(dtype) ? "int" : "float"];
        return `${wrapper}[${[...dims, ...dtypeArg].join(", ")}]`;
      },
    };
  return {
    imports,
    annotation: (shape, dtype) => {
      const wrapper = dtypeWrapper(dtype);
      const local = localName(`jaxtyping.${wrapper}`, "jaxtyping", wrapper);
      return `${local}[${tensorName()}, "${shape.map((d) => dimText(d, names)).join(" ")}"]`;
    },
  };
}

/** The column of the `:` that ends a def's header (after its parameters and return annotation). */
function headerColon(lines: readonly string[], def: FunctionDef): { line: number; col: number } | undefined {
  let depth = 0;
  let quote: string | undefined;
  for (let line = def.nameSpan.line; line < lines.length && line <= def.nameSpan.line + 50; line++) {
    const text = lines[line];
    for (let col = line === def.nameSpan.line ? def.nameSpan.endCol : 0; col < text.length; col++) {
      const c = text[col];
      if (quote) {
        if (c === "\\") col++;
        else if (c === quote) quote = undefined;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === "#") break;
      else if (c === "(" || c === "[" || c === "{") depth++;
      else if (c === ")" || c === "]" || c === "}") depth--;
      else if (c === ":" && depth === 0) return { line, col };
    }
  }
  return undefined;
}

/** Where a new import goes: after the file's last top-level import. */
function importLine(syntax: PyModule): number {
  const imports = syntax.body.filter((s: Stmt) => s.kind === "import" || s.kind === "importfrom");
  return imports.length > 0 ? imports[imports.length - 1].span.endLine + 1 : 0;
}

function forwardOf(def: ClassDef): FunctionDef | undefined {
  return def.body.find((s): s is FunctionDef => s.kind === "def" && s.name === "forward");
}

/** The edits that annotate each analysed model of `file` whose class (and forward) the file defines. */
export function annotationEdits(result: AnalysisResult, file: string, syntax: PyModule, text: string, style: AnnotationStyle): TextEdit[] {
  const lines = text.split("\n");
  const edits: TextEdit[] = [];
  const allImports = new Map<string, Set<string>>();
  const done = new Set<FunctionDef>();
  for (const model of result.models) {
    if (model.file !== file || model.inputSource === "unknown" || model.incomplete) continue;
    const def = syntax.body.find((s): s is ClassDef => s.kind === "class" && s.name === model.name);
    const forward = def ? forwardOf(def) : undefined;
    if (!forward || done.has(forward)) continue;
    done.add(forward);
    const names = readableDimNames(model.inputs);
    const writer = styleWriter(style, syntax, names);
    edits.push(...(style === "comment" ? commentEdits(model, forward, lines, names) : signatureEdits(model, forward, lines, writer)));
    for (const [module, imported] of writer.imports) {
      if (!allImports.has(module)) allImports.set(module, new Set());
      for (const n of imported) allImports.get(module)!.add(n);
    }
  }
  if (edits.length > 0 && allImports.size > 0) {
    const at = importLine(syntax);
    const text = [...allImports].map(([module, imported]) => `from ${module} import ${[...imported].sort().join(", ")}\n`).join("");
    edits.push({ line: at, col: 0, endLine: at, endCol: 0, text });
  }
  return edits.sort((a, b) => b.line - a.line || b.col - a.col);
}

function tensorOf(shape: ReportedShape): readonly Dim[] | undefined {
  return Array.isArray(shape) && shape.every((d) => !Array.isArray(d) && d !== null) ? (shape as readonly Dim[]) : undefined;
}

function signatureEdits(model: ModelSummary, forward: FunctionDef, lines: readonly string[], writer: Writer): TextEdit[] {
  const edits: TextEdit[] = [];
  const positional = forward.params.filter((p) => p.kind === "normal" || p.kind === "posonly").slice(1);
  positional.forEach((p, i) => {
    const input = model.inputs[i];
    if (!input || input.items || p.annotation || p.default || input.unknown) return;
    // a plain name: its span is the name alone
    if (p.span.endLine !== p.span.line || p.span.endCol - p.span.col !== p.name.length) return;
    edits.push({ line: p.span.line, col: p.span.endCol, endLine: p.span.line, endCol: p.span.endCol, text: `: ${writer.annotation(input.shape, input.dtype)}` });
  });
  const output = tensorOf(model.outputShape);
  const colon = forward.returns ? undefined : headerColon(lines, forward);
  if (output && colon) edits.push({ line: colon.line, col: colon.col, endLine: colon.line, endCol: colon.col, text: ` -> ${writer.annotation(output, "float32")}` });
  return edits;
}

const commentPrefix = "# torchshape shapes:";

function commentEdits(model: ModelSummary, forward: FunctionDef, lines: readonly string[], names: ReadonlyMap<string, string>): TextEdit[] {
  const positional = forward.params.filter((p) => p.kind === "normal" || p.kind === "posonly").slice(1);
  const shapeText = (shape: readonly Dim[]) => `[${shape.map((d) => dimText(d, names)).join(", ")}]`;
  const args = positional.flatMap((p, i) => (model.inputs[i] && !model.inputs[i].unknown ? [`${p.name} ${shapeText(model.inputs[i].shape)}`] : []));
  const output = tensorOf(model.outputShape);
  const comment = `${commentPrefix} ${args.join(", ")}${output ? ` -> ${shapeText(output)}` : ""}`;
  // the def's span starts at its first decorator
  const defLine = forward.span.line;
  const indent = /^\s*/.exec(lines[forward.span.line] ?? "")![0];
  const above = defLine - 1;
  if (above >= 0 && (lines[above] ?? "").trim().startsWith(commentPrefix)) {
    if (lines[above] === `${indent}${comment}`) return [];
    return [{ line: above, col: 0, endLine: above, endCol: lines[above].length, text: `${indent}${comment}` }];
  }
  return [{ line: defLine, col: 0, endLine: defLine, endCol: 0, text: `${indent}${comment}\n` }];
}

/** The text with the edits applied (edits sorted last first, as annotationEdits gives them). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split("\n");
  const offsetOf = (line: number, col: number) => lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0) + col;
  let out = text;
  for (const e of edits) out = out.slice(0, offsetOf(e.line, e.col)) + e.text + out.slice(offsetOf(e.endLine, e.endCol));
  return out;
}
