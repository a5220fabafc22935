// The facts an analysis produces: per model, its rows and totals. No text layout here.
import type { Note } from "../eval/interpreter.js";
import type { SourceLocation } from "../eval/values.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Dim } from "../shapes/dim.js";
import type { DType } from "../shapes/tensor.js";
import type { ForwardGraph } from "./forwardGraph.js";

/** A shape as reported: dims, a nested tuple of shapes, null for a non-tensor, "unknown". */
export type ReportedShape = readonly Dim[] | readonly ReportedShape[] | null | "unknown";

/** The tensor a forward hook's size recorder takes from an output (see tracer.hookedOutputOf). */
export type HookedOutput = { readonly shape: readonly Dim[]; readonly dtype: DType } | null | "unknown";

/** One call of a module with no child modules (nested inside a row or not), as forward hooks see it. */
export interface LeafCall {
  /** the module's qualified name (named_modules) */
  readonly name: string;
  /** the class name after the call (a Lazy module has become its concrete class) */
  readonly type: string;
  /** index in `layers` of the row this call is or runs inside */
  readonly row: number | undefined;
  /** the module's parameters (named_parameters order): element count (undefined when not known) and element size */
  readonly params: readonly { readonly name: string; readonly count: Dim | undefined; readonly elementBytes: number }[];
  readonly output: HookedOutput;
}

export interface LayerRow {
  readonly name: string;
  readonly type: string;
  /** undefined when a parameter's size is not known (a lazy layer on a symbolic input) */
  readonly params: number | undefined;
  readonly trainableParams: number | undefined;
  readonly inputShape: ReportedShape;
  readonly outputShape: ReportedShape;
  /** where the layer is constructed (its line in __init__) */
  readonly definedAt?: SourceLocation;
  /** where forward calls it */
  readonly calledAt?: SourceLocation;
  readonly depth: number;
  /** the flops of the row's matrix products (its calls inside included); undefined when a size is not known */
  readonly flops: Dim | undefined;
  /** the layer writes its output into its input (nn.ReLU(inplace=True)): it allocates nothing */
  readonly inPlace?: boolean;
  /** the module's kernel_size and groups attributes, when it has them (torchinfo's columns) */
  readonly kernelSize?: number | readonly number[];
  readonly groups?: number;
}

export interface InputSpec {
  readonly shape: readonly Dim[];
  readonly dtype: DType;
  /** the dtype was not stated (a shape annotation without one) */
  readonly dtypeAssumed?: boolean;
  /** no input was given and no layer told the rank it wants: the shape is not known */
  readonly unknown?: boolean;
  /**
   * The argument is a Python list of tensors (detection models take a list of
   * images): these are its items, and `shape`/`dtype` are the first item's.
   */
  readonly items?: readonly InputSpec[];
}

/** A tensor an operation between layers allocated: its op, its elements (undefined when unknown) and dtype. */
export interface OpOutput {
  readonly op: string;
  readonly elements: Dim | undefined;
  readonly dtype: DType;
}

export interface ModelSummary {
  readonly name: string;
  readonly file: string;
  /** 1-based line of the class (or of the factory function) */
  readonly line: number;
  readonly inputs: readonly InputSpec[];
  /** where the inputs came from: "option", "comment", "config" ([tool.torchshape.inputs]), "call", "summary", "default" (AnalyzeOptions.defaultInputs), "symbolic" */
  readonly inputSource: string;
  readonly layers: readonly LayerRow[];
  readonly outputShape: ReportedShape;
  readonly totalParams: number | undefined;
  readonly trainableParams: number | undefined;
  /** bytes of all parameters, for the table's size line */
  readonly paramBytes: number | undefined;
  /** the flops of matrix products outside any row (functional code between the layers) */
  readonly flopsOutsideRows: Dim | undefined;
  /** the tensors operations outside any row allocated (activations beside the rows' outputs) */
  readonly opOutputs: readonly OpOutput[];
  /** every call of a module with no children, in call order (torchinfo's leaf rows) */
  readonly leafCalls: readonly LeafCall[];
  /** names assigned during the forward walk, with the value's shape (for inlay hints and hover) */
  readonly assignments: readonly { readonly name: string; readonly location: SourceLocation; readonly shape: ReportedShape }[];
  /** every module of the tree (named_modules order), for the table's hierarchy */
  readonly modules: readonly { readonly name: string; readonly type: string; readonly params: number | undefined; readonly trainableParams: number | undefined }[];
  /** the forward pass could not complete (an exception or budget); the rows are what ran */
  readonly incomplete?: string;
  /** the forward graph, when the analysis was asked to record it */
  readonly graph?: ForwardGraph;
}

/** A plain function analysed with the inputs its shape annotations describe (an attention helper, a loss). */
export interface FunctionSummary {
  readonly name: string;
  readonly file: string;
  /** 1-based line of the def */
  readonly line: number;
  /** the annotated arguments, by name */
  readonly inputs: readonly (InputSpec & { readonly name: string })[];
  readonly outputShape: ReportedShape;
  /** names assigned inside it, with the value's shape (for inlay hints and hover) */
  readonly assignments: ModelSummary["assignments"];
  /** it raised or ran out of budget, and why */
  readonly incomplete?: string;
}

export interface AnalysisResult {
  readonly files: readonly string[];
  readonly models: readonly ModelSummary[];
  /** the functions analysed from their shape annotations */
  readonly functions?: readonly FunctionSummary[];
  readonly diagnostics: readonly Diagnostic[];
  readonly notes: readonly Note[];
  /** packages the analysed code imports that the environment does not have: what it uses of them is unknown */
  readonly missingPackages?: readonly string[];
}
