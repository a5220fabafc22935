// Records the forward graph while the tracer walks forward: a node per row and
// per op between rows, and an edge from the node that produced a tensor to each
// node that takes it. A tensor's producer is remembered by the tensor value's
// identity; tensors nobody here produced (parameters, buffers, constants made in
// forward) give no edge.
import type { ObjectValue, SourceLocation, Value } from "../eval/values.js";
import type { OpCallObserver } from "../torch/opCallObserver.js";
import type { ForwardGraph, GraphEdge, GraphNode, GraphNodeKind, GraphScope } from "./forwardGraph.js";
import { reportedShapeOf } from "./tracer.js";
import type { Tensor } from "../shapes/tensor.js";
import { layerSettings } from "./layerSettings.js";

/** What an open module call is to the graph. */
type Frame =
  | { readonly kind: "scope"; readonly scope: number }
  | { readonly kind: "node"; readonly node: number }
  /** a call inside a row, or a user module made inside forward: nothing of its own */
  | { readonly kind: "inside" }
  | { readonly kind: "transparent" };

/** How the tracer classified a module call. */
export type ModuleCallKind = { readonly row: number } | "scope" | "inside row" | "unhooked layer" | "unhooked";

/** The tensors a value holds: itself, the items of tuples, lists and dicts (nested), an output record's items. */
export function tensorsIn(v: Value, out: Tensor[] = [], depth = 0): Tensor[] {
  if (depth > 4) return out;
  if (v.kind === "tensor") out.push(v);
  else if (v.kind === "object" && v.payload) tensorsIn(v.payload, out, depth + 1);
  else if (v.kind === "tuple" || v.kind === "list") for (const item of v.items) tensorsIn(item, out, depth + 1);
  else if (v.kind === "dict") for (const entry of v.entries.values()) tensorsIn(entry.value, out, depth + 1);
  return out;
}

const IN_PLACE_OPERATORS = new Set(["iadd", "isub", "imul", "itruediv", "ifloordiv", "imod", "ipow", "imatmul", "iand", "ior", "ixor", "ilshift", "irshift"]);

/**
 * An op's short name, as a drawing labels it: torch.cat → cat, Tensor.__radd__ → add,
 * F.relu → relu; an in-place operator by PyTorch's name for it (x += y: Tensor.__iadd__ → add_).
 */
export function opShortName(qualified: string): string {
  const last = qualified.slice(qualified.lastIndexOf(".") + 1);
  const dunder = /^__(r?)(\w+?)__$/.exec(last);
  if (!dunder) return last;
  return IN_PLACE_OPERATORS.has(dunder[2]) ? `${dunder[2].slice(1)}_` : dunder[2];
}

export class GraphRecorder implements OpCallObserver {
  private readonly nodes: GraphNode[] = [];
  private readonly edges: GraphEdge[] = [];
  private readonly scopes: GraphScope[] = [];
  private readonly producers = new WeakMap<object, number>();
  private readonly frames: Frame[] = [];

  constructor(private readonly moduleNames: ReadonlyMap<ObjectValue, string>) {}

  /** The model's forward arguments: one input node each. */
  addInputs(inputs: readonly Value[]): void {
    inputs.forEach((input, i) => {
      const node = this.addNode("input", inputs.length > 1 ? `input ${i}` : "input", "input", undefined, reportedShapeOf(input), undefined);
      for (const t of tensorsIn(input)) this.producers.set(t, node);
    });
  }

  /** What forward returned: one output node per tensor, each fed by the node that made it. */
  addOutputs(output: Value): void {
    const tensors = tensorsIn(output);
    tensors.forEach((t, i) => {
      const shape = reportedShapeOf(t);
      const node = this.addNode("output", tensors.length > 1 ? `output ${i}` : "output", "output", undefined, shape, undefined);
      this.connect([t], node);
    });
  }

  moduleEntered(module: ObjectValue, args: readonly Value[], kwargs: ReadonlyMap<string, Value>, site: SourceLocation | undefined, kind: ModuleCallKind): void {
    if (this.frames.some((f) => f.kind === "node" || f.kind === "inside") || kind === "inside row") {
      this.frames.push({ kind: "inside" });
      return;
    }
    if (kind === "unhooked") {
      this.frames.push({ kind: "transparent" });
      return;
    }
    const inputs = [...args, ...kwargs.values()];
    if (kind === "scope") {
      const parent = this.currentScope();
      const depth = parent === undefined ? 0 : this.scopes[parent].depth + 1;
      const id = this.scopes.length;
      this.scopes.push({ id, name: this.moduleNames.get(module) ?? module.cls.name, type: module.cls.name, parent, depth, definedAt: module.module?.createdAt, calledAt: site });
      this.frames.push({ kind: "scope", scope: id });
      return;
    }
    const name = kind === "unhooked layer" ? module.cls.name : (this.moduleNames.get(module) ?? module.cls.name);
    const node = this.addNode(kind === "unhooked layer" ? "op" : "layer", name, module.cls.name, kind === "unhooked layer" ? undefined : kind.row, null, site, layerSettings(module));
    this.connect(inputs.flatMap((v) => tensorsIn(v)), node);
    this.frames.push({ kind: "node", node });
  }

  /** returned: what forward returned; output: the same with its tensor marked as the module's (a copy, which keeps the producer) */
  moduleExited(output: Value, returned: Value): void {
    const frame = this.frames.pop();
    if (frame?.kind === "node") {
      this.produced(frame.node, output);
      return;
    }
    if (output !== returned && output.kind === "tensor" && returned.kind === "tensor") {
      const producer = this.producers.get(returned);
      if (producer !== undefined) this.producers.set(output, producer);
    }
  }

  opCalled(name: string, inputs: readonly Value[], result: Value, site: SourceLocation | undefined): void {
    if (this.frames.some((f) => f.kind === "node" || f.kind === "inside")) return;
    const made = tensorsIn(result);
    // an op that makes no tensor (x.size(), x.dim()) is no node
    if (made.length === 0 && result.kind !== "unknown") return;
    const taken = inputs.flatMap((v) => tensorsIn(v)).filter((t) => this.producers.has(t));
    // a tensor made from nothing the graph knows (torch.zeros, arange) is no node either
    if (taken.length === 0) return;
    const node = this.addNode("op", opShortName(name), name, undefined, null, site);
    this.connect(taken, node);
    this.produced(node, result);
  }

  graph(): ForwardGraph {
    return { nodes: this.nodes, edges: this.edges, scopes: this.scopes };
  }

  private currentScope(): number | undefined {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i];
      if (f.kind === "scope") return f.scope;
    }
    return undefined;
  }

  private addNode(kind: GraphNodeKind, name: string, type: string, row: number | undefined, outputShape: GraphNode["outputShape"], calledAt: SourceLocation | undefined, settings: GraphNode["settings"] = {}): number {
    const id = this.nodes.length;
    const scope = kind === "input" || kind === "output" ? undefined : this.currentScope();
    this.nodes.push({ id, kind, name, type, settings, ...(row !== undefined ? { row } : {}), scope, ...(calledAt ? { calledAt } : {}), outputShape });
    return id;
  }

  private connect(tensors: readonly Tensor[], to: number): void {
    for (const t of tensors) {
      const from = this.producers.get(t);
      if (from !== undefined) this.edges.push({ from, to, shape: reportedShapeOf(t) });
    }
  }

  private produced(node: number, output: Value): void {
    const made = tensorsIn(output);
    for (const t of made) this.producers.set(t, node);
    this.nodes[node].outputShape = made.length > 0 ? reportedShapeOf(made[0]) : reportedShapeOf(output);
  }
}
