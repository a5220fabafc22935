// Records rows during a forward walk the way PyTorch forward hooks would:
// one row per call of a layer, in call order; calls nested inside a row (a
// built-in layer's own children) are not rows.
import { BudgetExceeded } from "../eval/errors.js";
import type { ObjectValue, SourceLocation, Value } from "../eval/values.js";
import type { ModuleCallObserver } from "../torch/module.js";
import type { TorchRuntime } from "../torch/runtime.js";
import { allocatedTensors } from "../compute/allocations.js";
import { dimAdd, dimProduct, type Dim } from "../shapes/dim.js";
import type { HookedOutput, OpOutput, ReportedShape } from "./summary.js";
import type { GraphRecorder } from "./graphRecorder.js";

export interface TracedCall {
  readonly module: ObjectValue;
  type: string;
  readonly inputShape: ReportedShape;
  outputShape: ReportedShape;
  readonly calledAt?: SourceLocation;
}

/**
 * The shape a value shows in a row: a tensor's dims, tuples and lists nested, a
 * dict as its values' shapes in order (detection models return a list of dicts),
 * null for anything else.
 */
export function reportedShapeOf(v: Value): ReportedShape {
  // an instance of a dict or list subclass (an output record) shows as its items do
  if (v.kind === "object" && v.payload) return reportedShapeOf(v.payload);
  if (v.kind === "tensor") return v.shape ? (v.shape as readonly Dim[]) : "unknown";
  if (v.kind === "tuple" || v.kind === "list") return v.items.map(reportedShapeOf) as ReportedShape[];
  if (v.kind === "dict") return [...v.entries.values()].map((e) => reportedShapeOf(e.value)) as ReportedShape[];
  if (v.kind === "unknown") return "unknown";
  return null;
}

/** The first tensor among the arguments, depth-first through tuples and lists. */
function firstTensorShape(args: readonly Value[]): ReportedShape {
  for (const a of args) {
    if (a.kind === "tensor") return reportedShapeOf(a);
    if (a.kind === "tuple" || a.kind === "list") {
      const inner = firstTensorShape(a.items);
      if (inner !== null) return inner;
    }
    if (a.kind === "unknown") return "unknown";
  }
  return null;
}

/** A call of a module with no child modules, nested in a row or not: what torchinfo's leaf rows are. */
export interface TracedLeafCall {
  readonly module: ObjectValue;
  /** the row this call is or runs inside, if any */
  readonly row: number | undefined;
  output: HookedOutput;
}

/**
 * The tensor a forward hook's size recorder (torchinfo's LayerInfo.calculate_size)
 * takes from an output: a tensor itself; of a tuple or list, its first element,
 * recursively; of a dict, its last value; anything else has no size.
 */
export function hookedOutputOf(v: Value): HookedOutput {
  if (v.kind === "object" && v.payload) return hookedOutputOf(v.payload);
  if (v.kind === "tensor") return v.shape ? { shape: v.shape as readonly Dim[], dtype: v.dtype } : "unknown";
  if ((v.kind === "tuple" || v.kind === "list") && v.items.length > 0) return hookedOutputOf(v.items[0]);
  if (v.kind === "dict") {
    const values = [...v.entries.values()];
    return values.length > 0 ? hookedOutputOf(values[values.length - 1].value) : null;
  }
  if (v.kind === "unknown") return "unknown";
  return null;
}

/**
 * Layer calls one forward pass may record: real models make hundreds (torchvision's largest,
 * efficientnet_v2_l, 957), a loop over a long input thousands. The table and the JSON are
 * written after the time budget's last reading, about 20 µs a row: 20,000 rows cost 0.4 s.
 */
export const maxRecordedCalls = 20_000;
/** Layer calls the forward passes of one file may record together, for the same reason. */
export const maxRecordedCallsPerFile = maxRecordedCalls;

export class ForwardTracer implements ModuleCallObserver {
  readonly calls: TracedCall[] = [];
  /** the flops counted while each row ran (its own and those of the calls inside it) */
  readonly rowFlops: (Dim | undefined)[] = [];
  /** the flops of operations outside any row (functional code between the layers) */
  flopsOutsideRows: Dim | undefined = 0;
  readonly leafCalls: TracedLeafCall[] = [];
  /** the tensors allocated by operations outside any row (x + identity, torch.cat), in call order */
  readonly opOutputs: OpOutput[] = [];
  /** per open call: the row index, or -1 (not a row), or -2 (suppressed inside a row) */
  private readonly open: number[] = [];
  /** per open call: its index in leafCalls, or -1 */
  private readonly openLeaves: number[] = [];

  /**
   * hooked: the model's own modules when the pass starts, where PyTorch's hooks sit; a module made and
   * called inside forward (nn.Softmax(dim=-1)(x)) is neither a row nor a leaf call
   */
  constructor(
    private readonly torch: TorchRuntime,
    private readonly hooked?: ReadonlySet<ObjectValue>,
    /** records the forward graph as well, when asked */
    private readonly graph?: GraphRecorder,
    /** what the file's earlier passes left of maxRecordedCallsPerFile */
    private readonly callsLeftInFile = maxRecordedCallsPerFile,
  ) {}

  isRowModule(module: ObjectValue): boolean {
    // a module without children is what a hook records, even an empty container (nn.Sequential() as an identity shortcut)
    if (![...(module.module?.children.values() ?? [])].some((c) => c.kind === "object")) return true;
    if (this.torch.isContainer(module.cls)) return false;
    return this.torch.isBuiltinLayerClass(module.cls);
  }

  enter(module: ObjectValue, args: readonly Value[], _kwargs: ReadonlyMap<string, Value>, site: SourceLocation | undefined): number | undefined {
    // a layer called in a loop of 10**14 steps: the record of its calls, not the loop, would fill the memory budget
    if (this.leafCalls.length >= maxRecordedCalls) throw new BudgetExceeded(`more than ${maxRecordedCalls.toLocaleString("en-US")} layer calls in one forward pass`);
    if (this.leafCalls.length >= this.callsLeftInFile) throw new BudgetExceeded(`more than ${maxRecordedCallsPerFile.toLocaleString("en-US")} layer calls in the file's forward passes`);
    if (this.hooked && !this.hooked.has(module)) {
      this.graph?.moduleEntered(module, args, _kwargs, site, this.isRowModule(module) ? "unhooked layer" : "unhooked");
      this.open.push(-1);
      this.openLeaves.push(-1);
      return -1;
    }
    const token = this.enterRow(module, args, site);
    this.graph?.moduleEntered(module, args, _kwargs, site, token === -2 ? "inside row" : token === -1 || token === undefined ? "scope" : { row: token });
    const isLeaf = ![...(module.module?.children.values() ?? [])].some((c) => c.kind === "object");
    const row = this.open.find((i) => i >= 0);
    this.openLeaves.push(isLeaf ? this.leafCalls.push({ module, row, output: null }) - 1 : -1);
    return token;
  }

  private enterRow(module: ObjectValue, args: readonly Value[], site: SourceLocation | undefined): number | undefined {
    if (this.open.some((i) => i >= 0 || i === -2)) {
      this.open.push(-2);
      return -2;
    }
    if (!this.isRowModule(module)) {
      this.open.push(-1);
      return -1;
    }
    this.calls.push({ module, type: module.cls.name, inputShape: firstTensorShape(args), outputShape: null, calledAt: site });
    this.rowFlops.push(0);
    const index = this.calls.length - 1;
    this.open.push(index);
    return index;
  }

  /** A rule's matrix-product flops, to the row that is running or to the operations between rows. */
  countFlops(flops: Dim | undefined): void {
    const row = this.open.find((i) => i >= 0);
    const add = (total: Dim | undefined) => (total === undefined || flops === undefined ? undefined : dimAdd(total, flops));
    if (row === undefined) this.flopsOutsideRows = add(this.flopsOutsideRows);
    else this.rowFlops[row] = add(this.rowFlops[row]);
  }

  /** An op's result: what it allocates outside a row is an activation (inside one, the row's output stands for it). */
  countOpOutput(qualifiedName: string, bound: ReadonlyMap<string, Value>, result: Value): void {
    if (this.open.some((i) => i >= 0 || i === -2)) return;
    for (const t of allocatedTensors(qualifiedName, bound, result)) this.opOutputs.push({ op: qualifiedName, elements: t.shape ? dimProduct(t.shape) : undefined, dtype: t.dtype });
  }

  exit(token: number | undefined, output: Value, returned?: Value): void {
    this.graph?.moduleExited(output, returned ?? output);
    this.open.pop();
    const leaf = this.openLeaves.pop();
    if (leaf !== undefined && leaf >= 0) this.leafCalls[leaf].output = hookedOutputOf(output);
    if (token === undefined || token < 0) return;
    const call = this.calls[token];
    call.outputShape = reportedShapeOf(output);
    // a Lazy module has become its concrete class by now, as in PyTorch
    call.type = call.module.cls.name;
  }
}
