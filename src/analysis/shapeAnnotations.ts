// Shape annotations read from the syntax, with no annotation library installed:
// jaxtyping (`Float[Tensor, "b c h w"]`, from whatever name it is imported under),
// torchtyping (`TensorType["b", 3]`), `Annotated[Tensor, Shape("B", 3)]` and
// `Annotated[Tensor, "B T D"]` (TorchShapeFlow), and aliases of them
// (`Image: TypeAlias = Float[Tensor, "b 3 h w"]`).
import { dirname, join, resolve } from "node:path";
import type { Expr, PyModule, Span, Stmt } from "../parse/ast.js";
import { parseTree } from "../parse/parser.js";
import { convertModule } from "../parse/toAst.js";
import type { DType } from "../shapes/tensor.js";
import { parseDimExpression, type DimExpression } from "./dimExpression.js";
import { cachedSyntax } from "./syntaxCache.js";
import { readTextFile } from "./diskReads.js";

/** One dimension of an annotation. */
export type AnnotatedDim =
  /** `3`, or `rows=3` (the name only documents it) */
  | { readonly kind: "size"; readonly size: number }
  /** `batch`: the same size wherever the name stands in one call; `#batch` also takes 1 */
  | { readonly kind: "name"; readonly name: string; readonly broadcast: boolean }
  /** `n+1`, `h*w`: arithmetic on names bound elsewhere */
  | { readonly kind: "expression"; readonly expression: DimExpression; readonly broadcast: boolean }
  /** `_`, `_name`, torchtyping's -1: any size */
  | { readonly kind: "any" }
  /** `*batch`, `...`: any number of dimensions (the same ones wherever a named one stands) */
  | { readonly kind: "variadic"; readonly name?: string; readonly broadcast: boolean };

export interface ShapeAnnotation {
  readonly dims: readonly AnnotatedDim[];
  /** the dtype the wrapper names (`Int64[...]`, `TensorType[..., torch.long]`), when it names one */
  readonly dtype?: DType;
  /** the dims as the user wrote them: `[batch, 10]` */
  readonly text: string;
}

export type AnnotationReading =
  | { readonly kind: "shape"; readonly shape: ShapeAnnotation }
  /** a shape annotation that does not parse (`Float[Tensor, "b (c"]`) */
  | { readonly kind: "unreadable"; readonly reason: string; readonly span: Span }
  /** not a tensor shape annotation */
  | { readonly kind: "none" };

const NONE_READING: AnnotationReading = { kind: "none" };

/** jaxtyping's dtype wrappers, with the dtype an input of that kind is made with. */
const jaxtypingDTypes: ReadonlyMap<string, DType | undefined> = new Map<string, DType | undefined>([
  ...["Shaped", "Num", "Inexact", "Float", "Real", "Float32", "Key", "Complex", "Complex64", "Complex128"].map((n) => [n, n === "Float32" || n === "Float" ? "float32" : undefined] as const),
  ["BFloat16", "bfloat16"],
  ["Float16", "float16"],
  ["Float64", "float64"],
  ["Bool", "bool"],
  ...["Int", "Integer", "Int64", "UInt", "UInt64"].map((n) => [n, "int64"] as const),
  ...["Int2", "Int4", "Int8", "Int16", "Int32", "UInt2", "UInt4", "UInt8", "UInt16", "UInt32"].map((n) => [n, n.endsWith("32") ? "int32" : "int64"] as const),
]);

/** torch dtypes as torchtyping and `dtype=` name them. */
const torchDTypes: Readonly<Record<string, DType>> = {
  float: "float32", float32: "float32", float16: "float16", half: "float16", bfloat16: "bfloat16", float64: "float64", double: "float64",
  int: "int64", long: "int64", int64: "int64", int32: "int32", bool: "bool",
};

/** What a file's names stand for, for reading annotations: imports, and aliases of shape annotations. */
export interface AnnotationVocabulary {
  /** a local name → the dotted name it was imported as (`F` → `jaxtyping.Float`, `jt` → `jaxtyping`) */
  readonly imported: ReadonlyMap<string, string>;
  /** `Image = Float[Tensor, "b 3 h w"]` at the top level */
  readonly aliases: ReadonlyMap<string, AnnotationReading>;
  /** an alias another file of the project defines (`from shapes import ImageBatch`), when the file is known */
  importedAlias(name: string): AnnotationReading | undefined;
}

/** A project module's syntax by its import (`shapes`, or `.shapes` with level 1), found beside the importing file. */
function projectModule(file: string, module: string, level: number): { file: string; syntax: PyModule } | undefined {
  let base = dirname(file);
  for (let i = 1; i < level; i++) base = dirname(base);
  const path = join(base, ...module.split("."));
  for (const candidate of [`${path}.py`, join(path, "__init__.py")]) {
    try {
      const text = readTextFile(candidate);
      if (text.length > 1_000_000) return undefined;
      return { file: candidate, syntax: cachedSyntax(resolve(candidate), "vocabulary", () => convertModule(parseTree(text).rootNode)) };
    } catch {
      continue;
    }
  }
  return undefined;
}

const vocabularies = new WeakMap<PyModule, AnnotationVocabulary>();

/** The statements of a body with those of its if/try blocks (`if TYPE_CHECKING:` imports). */
function* topLevelStatements(body: readonly Stmt[]): Generator<Stmt> {
  for (const s of body) {
    yield s;
    if (s.kind === "if") {
      yield* topLevelStatements(s.body);
      yield* topLevelStatements(s.orelse);
    } else if (s.kind === "try") {
      yield* topLevelStatements(s.body);
      for (const h of s.handlers) yield* topLevelStatements(h.body);
    }
  }
}

/**
 * What a file's names stand for. Given the file's path (the session does, before
 * anything else asks), aliases imported from the project's other files are read too.
 */
export function annotationVocabulary(syntax: PyModule, file?: string, seen: ReadonlySet<string> = new Set()): AnnotationVocabulary {
  const known = vocabularies.get(syntax);
  if (known) return known;
  const imported = new Map<string, string>();
  const aliases = new Map<string, AnnotationReading>();
  const importedFrom = new Map<string, { module: string; level: number; name: string }>();
  const fromFiles = new Map<string, AnnotationReading | undefined>();
  const importedAlias = (name: string): AnnotationReading | undefined => {
    const from = importedFrom.get(name);
    if (!from || !file) return undefined;
    if (!fromFiles.has(name)) {
      fromFiles.set(name, undefined); // a cycle of imports reads nothing
      const found = projectModule(file, from.module, from.level);
      const reading = found && !seen.has(found.file) ? annotationVocabulary(found.syntax, found.file, new Set([...seen, file])).aliases.get(from.name) : undefined;
      // one that does not parse is reported where it is written, when that file is checked
      fromFiles.set(name, reading?.kind === "shape" ? reading : undefined);
    }
    return fromFiles.get(name);
  };
  const vocabulary: AnnotationVocabulary = { imported, aliases, importedAlias };
  for (const s of topLevelStatements(syntax.body)) {
    if (s.kind === "import") for (const a of s.names) imported.set(a.asname ?? a.name.split(".")[0], a.asname ? a.name : a.name.split(".")[0]);
    else if (s.kind === "importfrom" && !s.star)
      for (const a of s.names) {
        if (s.module) imported.set(a.asname ?? a.name, `${s.module}.${a.name}`);
        importedFrom.set(a.asname ?? a.name, { module: s.module, level: s.level, name: a.name });
      }
    else if ((s.kind === "assign" && s.targets.length === 1 && s.targets[0].kind === "name") || (s.kind === "annassign" && s.target.kind === "name" && s.value)) {
      const name = s.kind === "assign" ? (s.targets[0] as { id: string }).id : (s.target as { id: string }).id;
      const value = s.kind === "assign" ? s.value : s.value!;
      const reading = readShapeAnnotation(value, vocabulary);
      if (reading.kind !== "none") aliases.set(name, reading);
    }
  }
  vocabularies.set(syntax, vocabulary);
  return vocabulary;
}

/** The dotted name an expression names through the file's imports: `jt.Float` → `jaxtyping.Float`. */
function qualifiedName(e: Expr, vocabulary: AnnotationVocabulary): string | undefined {
  if (e.kind === "name") return vocabulary.imported.get(e.id) ?? e.id;
  if (e.kind === "attribute") {
    const base = qualifiedName(e.value, vocabulary);
    return base === undefined ? undefined : `${base}.${e.attr}`;
  }
  return undefined;
}

const lastPart = (name: string) => name.slice(name.lastIndexOf(".") + 1);
const isTypingName = (name: string, what: string) => name === `typing.${what}` || name === `typing_extensions.${what}` || name === what;

/** Read an annotation expression: a tensor shape, one that does not parse, or something else. */
export function readShapeAnnotation(e: Expr, vocabulary: AnnotationVocabulary): AnnotationReading {
  if (e.kind === "name" && vocabulary.aliases.has(e.id)) return vocabulary.aliases.get(e.id)!;
  if (e.kind === "name") {
    const fromFile = vocabulary.importedAlias(e.id);
    if (fromFile) return fromFile;
  }
  // a string annotation ("Float[Tensor, 'b c']") is read as the expression it holds: done by the caller when it parses it
  if (e.kind === "binop" && e.op === "|") {
    const sides = [e.left, e.right].filter((x) => !(x.kind === "constant" && x.value.type === "none"));
    return sides.length === 1 ? readShapeAnnotation(sides[0], vocabulary) : NONE_READING;
  }
  if (e.kind !== "subscript") return NONE_READING;
  const wrapper = qualifiedName(e.value, vocabulary);
  if (!wrapper) return NONE_READING;
  const items = e.index.kind === "tuple" ? e.index.elts : [e.index];
  if (isTypingName(wrapper, "Optional") && items.length === 1) return readShapeAnnotation(items[0], vocabulary);
  if (isTypingName(wrapper, "Annotated")) return readAnnotated(items, vocabulary);
  const [library] = wrapper.split(".");
  if (library === "jaxtyping" && jaxtypingDTypes.has(lastPart(wrapper)) && items.length === 2) {
    const dims = items[1];
    if (dims.kind !== "constant" || dims.value.type !== "str") return NONE_READING;
    const dtype = jaxtypingDTypes.get(lastPart(wrapper));
    return readDimString(dims.value.value, dims.span, dtype);
  }
  if (wrapper === "torchtyping.TensorType" || (library === "torchtyping" && lastPart(wrapper) === "TensorType")) return readTensorType(items, vocabulary);
  return NONE_READING;
}

/** `Annotated[Tensor, Shape("B", 3)]`, `Annotated[Tensor, "B T D"]`, or `Annotated[Float[...], ...]`. */
function readAnnotated(items: readonly Expr[], vocabulary: AnnotationVocabulary): AnnotationReading {
  for (const meta of items.slice(1)) {
    if (meta.kind === "call" && lastPart(qualifiedName(meta.func, vocabulary) ?? "") === "Shape") return readShapeCall(meta.args, meta.span);
    // the string shorthand only on a tensor: `Annotated[int, "a description"]` is no shape
    if (meta.kind === "constant" && meta.value.type === "str" && isTensorType(items[0], vocabulary)) return readDimString(meta.value.value, meta.span, undefined);
  }
  return items.length > 0 ? readShapeAnnotation(items[0], vocabulary) : NONE_READING;
}

/** `torch.Tensor`, `Tensor`, any `something.Tensor`. */
function isTensorType(e: Expr | undefined, vocabulary: AnnotationVocabulary): boolean {
  const name = e ? qualifiedName(e, vocabulary) : undefined;
  return name !== undefined && lastPart(name) === "Tensor";
}

/** Shape("B", 3, "H", "W"): each argument one dimension. */
function readShapeCall(args: readonly Expr[], span: Span): AnnotationReading {
  const dims: AnnotatedDim[] = [];
  const texts: string[] = [];
  for (const a of args) {
    if (a.kind === "constant" && a.value.type === "int") {
      dims.push({ kind: "size", size: a.value.value });
      texts.push(String(a.value.value));
    } else if (a.kind === "constant" && a.value.type === "str") {
      const dim = readDimToken(a.value.value);
      if (typeof dim === "string") return { kind: "unreadable", reason: dim, span: a.span };
      dims.push(dim);
      texts.push(a.value.value);
    } else return { kind: "unreadable", reason: "Shape(...) takes names and sizes", span: a.span };
  }
  return { kind: "shape", shape: { dims, text: `[${texts.join(", ")}]` } };
}

/** torchtyping: `TensorType["batch", 3, torch.long]`, `"name": size`, -1 and `...` for any. */
function readTensorType(items: readonly Expr[], vocabulary: AnnotationVocabulary): AnnotationReading {
  const dims: AnnotatedDim[] = [];
  const texts: string[] = [];
  let dtype: DType | undefined;
  for (const item of items) {
    if (item.kind === "constant" && item.value.type === "int") {
      dims.push(item.value.value === -1 ? { kind: "any" } : { kind: "size", size: item.value.value });
      texts.push(String(item.value.value));
    } else if (item.kind === "unary" && item.op === "-" && item.operand.kind === "constant" && item.operand.value.type === "int" && item.operand.value.value === 1) {
      dims.push({ kind: "any" });
      texts.push("-1");
    } else if (item.kind === "constant" && item.value.type === "ellipsis") {
      dims.push({ kind: "variadic", broadcast: false });
      texts.push("...");
    } else if (item.kind === "constant" && item.value.type === "str") {
      if (!/^[A-Za-z_]\w*$/.test(item.value.value)) return { kind: "unreadable", reason: `'${item.value.value}' is not a dimension name`, span: item.span };
      dims.push({ kind: "name", name: item.value.value, broadcast: false });
      texts.push(item.value.value);
    } else if (item.kind === "slice" && item.lower?.kind === "constant" && item.lower.value.type === "str" && item.upper?.kind === "constant" && item.upper.value.type === "int") {
      dims.push({ kind: "size", size: item.upper.value.value });
      texts.push(`${item.lower.value.value}: ${item.upper.value.value}`);
    } else {
      const named = qualifiedName(item, vocabulary);
      const asDType = named ? torchDTypes[lastPart(named)] : undefined;
      if (asDType) dtype = asDType;
      // anything else (details such as is_named) says nothing of the shape
    }
  }
  return { kind: "shape", shape: { dims, dtype, text: `[${texts.join(", ")}]` } };
}

/** jaxtyping's dimension string: space-separated symbols. */
export function readDimString(text: string, span: Span, dtype: DType | undefined): AnnotationReading {
  const tokens = text.trim() === "" ? [] : text.trim().split(/\s+/);
  const dims: AnnotatedDim[] = [];
  for (const token of tokens) {
    const dim = readDimToken(token);
    if (typeof dim === "string") return { kind: "unreadable", reason: dim, span };
    dims.push(dim);
  }
  if (dims.filter((d) => d.kind === "variadic").length > 1) return { kind: "unreadable", reason: `"${text}" has more than one variadic dimension`, span };
  return { kind: "shape", shape: { dims, dtype, text: `[${tokens.join(", ")}]` } };
}

/** One symbol: `3`, `batch`, `*batch`, `...`, `_`, `_name`, `#name`, `name=3`, `n+1`; a string says why it does not parse. */
export function readDimToken(token: string): AnnotatedDim | string {
  if (token === "...") return { kind: "variadic", broadcast: false };
  let rest = token;
  let variadic = false;
  let broadcast = false;
  let anonymous = false;
  for (;;) {
    if (rest.startsWith("*")) variadic = true;
    else if (rest.startsWith("#")) broadcast = true;
    else if (rest.startsWith("?")) anonymous = true; // jaxtyping: may vary between calls
    else if (rest.startsWith("_") && !/^_\w*=/.test(rest)) {
      anonymous = true;
      if (rest === "_" || /^_[A-Za-z_]\w*$/.test(rest)) {
        rest = "";
        break;
      }
    } else break;
    rest = rest.slice(1);
  }
  // `name=expr`: the name documents the size the expression gives
  const eq = rest.indexOf("=");
  if (eq >= 0) {
    if (!/^[A-Za-z_]\w*$/.test(rest.slice(0, eq))) return `'${token}' is not a dimension`;
    rest = rest.slice(eq + 1);
  }
  if (variadic) {
    if (anonymous || rest === "") return { kind: "variadic", broadcast };
    if (!/^[A-Za-z_]\w*$/.test(rest)) return `'${token}' is not a variadic dimension name`;
    return { kind: "variadic", name: rest, broadcast };
  }
  if (anonymous && rest === "") return { kind: "any" };
  if (/^\d+$/.test(rest)) return { kind: "size", size: Number(rest) };
  if (/^[A-Za-z_]\w*$/.test(rest)) return anonymous ? { kind: "any" } : { kind: "name", name: rest, broadcast };
  const expression = parseDimExpression(rest);
  if (typeof expression === "string") return `'${token}' ${expression}`;
  return anonymous ? { kind: "any" } : { kind: "expression", expression, broadcast };
}
