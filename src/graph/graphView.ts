// The graph a drawing shows, from the forward graph the walk recorded: module
// calls deeper than --depth folded into one node each (the shapes at its boundary
// on its edges), clusters for the module calls above that depth, a check error on
// the edges into the node where the shapes stop fitting. Every format is drawn
// from this record, and --format json prints it.
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { SourceLocation } from "../eval/values.js";
import type { ForwardGraph, GraphNode, GraphScope } from "../analysis/forwardGraph.js";
import type { ModelSummary, ReportedShape } from "../analysis/summary.js";
import { displayPath, lineFields } from "../report/json.js";
import { shapeToJson, shapeToText, type JsonShape } from "../report/shapeText.js";
import { layerDetail } from "./layerDetail.js";
import type { SettingValue } from "../analysis/layerSettings.js";

export type ViewNodeKind = "input" | "output" | "layer" | "op" | "module";

export interface ViewNode {
  readonly id: string;
  readonly kind: ViewNodeKind;
  /** the row's or module's qualified name, the op's short name */
  readonly name: string;
  /** the class, or an op's qualified name */
  readonly type: string;
  /** what the drawing writes in the node: conv1: Conv2d(3→16, k3) */
  readonly label: string;
  readonly cluster: string | null;
  readonly params?: number | null;
  /** a layer's settings as its attributes hold them (in_channels, kernel_size, stride, ...) */
  readonly settings?: Readonly<Record<string, SettingValue>>;
  readonly input_shape?: JsonShape;
  readonly output_shape?: JsonShape;
  readonly file?: string;
  readonly cell?: number;
  /** where it is defined (a layer's line in __init__) */
  readonly line?: number;
  /** where forward calls it (in a notebook, call_cell is its cell) */
  readonly call_line?: number;
  readonly call_cell?: number;
}

export interface ViewEdge {
  readonly from: string;
  readonly to: string;
  readonly shape: JsonShape;
  /** the shape as the summary prints it: [N, 512], ? */
  readonly label: string;
  /** a check error at this edge: where the shapes stop fitting */
  readonly error?: string;
}

export interface ViewCluster {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  /** layer1 › 0 › BasicBlock */
  readonly label: string;
  readonly parent: string | null;
  readonly depth: number;
}

export interface GraphView {
  readonly model: string;
  readonly file: string;
  readonly depth: number;
  readonly nodes: readonly ViewNode[];
  readonly edges: readonly ViewEdge[];
  readonly clusters: readonly ViewCluster[];
  /** why the forward pass stopped early, when it did: the graph is what ran */
  readonly incomplete?: string;
}

function sameSpot(a: SourceLocation | undefined, b: SourceLocation): boolean {
  return a !== undefined && a.file === b.file && a.span.line === b.span.line && a.span.col === b.span.col;
}

function clusterLabel(scope: GraphScope): string {
  return [...(scope.name === "" ? [] : scope.name.split(".")), scope.type].join(" › ");
}

/** The forward graph of a model, folded below `depth`, with the model's check errors on their edges. */
export function graphView(model: ModelSummary, diagnostics: readonly Diagnostic[], depth: number): GraphView {
  const graph: ForwardGraph = model.graph ?? { nodes: [], edges: [], scopes: [] };
  const scopes = graph.scopes;
  // the scope at `depth` that a scope lies in, if it is that deep
  const foldedInto = (scopeId: number | undefined): GraphScope | undefined => {
    if (scopeId === undefined) return undefined;
    let s: GraphScope = scopes[scopeId];
    if (s.depth < depth) return undefined;
    while (s.depth > depth && s.parent !== undefined) s = scopes[s.parent];
    return s;
  };
  const clusterOf = (scopeId: number | undefined): string | null => {
    const s = scopeId === undefined ? undefined : scopes[scopeId];
    return s && s.depth >= 1 && s.depth < depth ? `c${s.id}` : null;
  };
  const where = (loc: SourceLocation | undefined, key: "line" | "call_line") => {
    if (!loc) return {};
    const fields = lineFields(loc.file, loc.span.line);
    return key === "line" ? { file: displayPath(loc.file), ...fields } : { ...(fields.cell !== undefined ? { call_cell: fields.cell } : {}), call_line: fields.line };
  };

  const nodes: ViewNode[] = [];
  const visibleId = new Map<number, string>();
  const byId = new Map<string, ViewNode>();
  const params = new Map(model.modules.map((m) => [m.name, m.params] as const));
  const add = (node: ViewNode) => {
    if (!byId.has(node.id)) {
      byId.set(node.id, node);
      nodes.push(node);
    }
  };
  for (const n of graph.nodes) {
    const folded = foldedInto(n.scope);
    if (folded) {
      const id = `m${folded.id}`;
      visibleId.set(n.id, id);
      add({ id, kind: "module", name: folded.name, type: folded.type, label: `${folded.name || model.name}: ${folded.type}`, cluster: clusterOf(folded.parent), params: params.get(folded.name) ?? null, ...where(folded.definedAt, "line"), ...where(folded.calledAt, "call_line") });
      continue;
    }
    const id = `n${n.id}`;
    visibleId.set(n.id, id);
    add(viewNode(id, n, model, clusterOf(n.scope), where));
  }

  // errors: on the edges into the node whose rule reported them (a layer's definition, an op's call)
  const errorAt = new Map<string, string>();
  for (const d of diagnostics) {
    if (d.severity !== "error" || (d.model !== undefined && d.model !== model.name)) continue;
    const at = graph.nodes.find((n) => (n.row !== undefined && sameSpot(model.layers[n.row]?.definedAt, d.location)) || sameSpot(n.calledAt, d.location));
    const id = at && visibleId.get(at.id);
    if (id && !errorAt.has(id)) errorAt.set(id, d.message);
  }

  const edges: ViewEdge[] = [];
  const seen = new Set<string>();
  for (const e of graph.edges) {
    const from = visibleId.get(e.from);
    const to = visibleId.get(e.to);
    if (from === undefined || to === undefined || from === to) continue;
    const label = shapeToText(e.shape);
    // one tensor going into a folded module twice (a block's input and its shortcut) is one edge at its boundary
    if (from.startsWith("m") || to.startsWith("m")) {
      const key = `${from}|${to}|${label}`;
      if (seen.has(key)) continue;
      seen.add(key);
    }
    const error = errorAt.get(to);
    edges.push({ from, to, shape: shapeToJson(e.shape), label, ...(error ? { error } : {}) });
  }

  const usedClusters = new Set<string>();
  for (const n of nodes) {
    for (let c = n.cluster; c !== null; ) {
      if (usedClusters.has(c)) break;
      usedClusters.add(c);
      const parent = scopes[Number(c.slice(1))].parent;
      c = clusterOf(parent);
    }
  }
  const clusters: ViewCluster[] = scopes
    .filter((s) => usedClusters.has(`c${s.id}`))
    .map((s) => ({ id: `c${s.id}`, name: s.name, type: s.type, label: clusterLabel(s), parent: clusterOf(s.parent), depth: s.depth }));
  return { model: model.name, file: displayPath(model.file), depth, nodes, edges, clusters, ...(model.incomplete ? { incomplete: model.incomplete } : {}) };
}

function viewNode(id: string, n: GraphNode, model: ModelSummary, cluster: string | null, where: (loc: SourceLocation | undefined, key: "line" | "call_line") => object): ViewNode {
  const shape = (s: ReportedShape) => shapeToJson(s);
  const detail = layerDetail(n.settings);
  if (n.kind === "layer" && n.row !== undefined) {
    const row = model.layers[n.row];
    return {
      id,
      kind: "layer",
      name: row.name,
      type: row.type,
      label: `${row.name}: ${row.type}${detail ? `(${detail})` : ""}`,
      cluster,
      params: row.params ?? null,
      ...(Object.keys(n.settings).length > 0 ? { settings: n.settings } : {}),
      input_shape: shape(row.inputShape),
      output_shape: shape(row.outputShape),
      ...where(row.definedAt, "line"),
      ...where(row.calledAt, "call_line"),
    };
  }
  if (n.kind === "input" || n.kind === "output") return { id, kind: n.kind, name: n.name, type: n.type, label: n.name, cluster: null, output_shape: shape(n.outputShape) };
  return { id, kind: "op", name: n.name, type: n.type, label: detail ? `${n.name}(${detail})` : n.name, cluster, output_shape: shape(n.outputShape), ...where(n.calledAt, "line"), ...where(n.calledAt, "call_line") };
}
