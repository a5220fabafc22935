// The forward graph of one model as the walk recorded it: every row, every op
// between rows, the inputs and outputs, and which tensor went where. Module calls
// with children are scopes (the clusters a drawing shows). No layout here.
import type { SourceLocation } from "../eval/values.js";
import type { ReportedShape } from "./summary.js";
import type { SettingValue } from "./layerSettings.js";

/** One call of a module that is not a row (a user module with children, a container): a cluster. */
export interface GraphScope {
  readonly id: number;
  /** the module's qualified name (named_modules), "" for the model itself */
  readonly name: string;
  readonly type: string;
  readonly parent: number | undefined;
  /** 0 for the model's own call, one more per module call it runs inside */
  readonly depth: number;
  readonly definedAt?: SourceLocation;
  readonly calledAt?: SourceLocation;
}

export type GraphNodeKind = "input" | "output" | "layer" | "op";

export interface GraphNode {
  readonly id: number;
  readonly kind: GraphNodeKind;
  /** a row's qualified name, an op's short name (add, cat, view), "input", "output" */
  readonly name: string;
  /** a row's class; an op's qualified name (torch.cat, Tensor.__add__); a module made inside forward: its class */
  readonly type: string;
  /** a layer's settings (in_channels, kernel_size, ...), as its attributes hold them */
  readonly settings: Readonly<Record<string, SettingValue>>;
  /** index of the row in the model's layers, for a layer node */
  readonly row?: number;
  /** the innermost scope it ran in (undefined: outside the model's call, inputs and outputs) */
  readonly scope: number | undefined;
  /** where forward calls it */
  readonly calledAt?: SourceLocation;
  /** an input's or output's shape; what an op or layer made (its first tensor) */
  outputShape: ReportedShape;
}

export interface GraphEdge {
  readonly from: number;
  readonly to: number;
  /** the tensor's shape, as the summary reports it */
  readonly shape: ReportedShape;
}

export interface ForwardGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly scopes: readonly GraphScope[];
}
