// What a torch rule is. A layer rule is data plus two functions: build (the
// parameters, buffers and attributes the constructor creates) and forward (the
// output shape from the input shape, or a diagnostic). An op rule covers a
// torch function, a torch.nn.functional function or a Tensor method.
import type { Interpreter } from "../eval/interpreter.js";
import { PyException } from "../eval/errors.js";
import { numericValue, pyRepr } from "../eval/operators.js";
import { bool, float, int, list, NONE, str, tuple, type ClassValue, type NativeCall, type ObjectValue, type SourceLocation, type Value } from "../eval/values.js";
import type { DiagnosticMessage } from "../diagnostics/messages.js";
import type { RelatedLocation, Severity } from "../diagnostics/diagnostic.js";
import type { Dim } from "../shapes/dim.js";
import type { Shape } from "../shapes/shape.js";
import type { DType, FaultHandle, Tensor } from "../shapes/tensor.js";

export interface LayerRule {
  /** the class name in torch.nn */
  readonly type: string;
  /** the constructor's parameters, as a Python parameter list */
  readonly signature: string;
  /** forward's parameters after self; default "input" */
  readonly forwardSignature?: string;
  readonly build: (args: Args, layer: LayerBuilder) => void;
  readonly forward: (layer: Layer, args: Args, ctx: RuleContext) => Value;
  /** the input shape this layer wants, for a symbolic run whose input rank is not given */
  readonly expectedInput?: (layer: Layer) => { readonly shape: Shape; readonly dtype?: DType; readonly alternatives?: readonly Shape[] } | undefined;
  /** further methods (LSTM.flatten_parameters, ...) */
  readonly methods?: Readonly<Record<string, (layer: Layer, call: NativeCall) => Value>>;
  /** static methods of the class, callable on the class or an instance (Transformer.generate_square_subsequent_mask) */
  readonly staticMethods?: Readonly<Record<string, (call: NativeCall) => Value>>;
  /** class methods, called with the class they are looked up on (Embedding.from_pretrained); call.args excludes cls */
  readonly classMethods?: Readonly<Record<string, (cls: ClassValue, call: NativeCall) => Value>>;
  /** Lazy modules turn into this class on their first call (LazyLinear → Linear) */
  readonly becomes?: string;
  /** the torch modules that export the class, when not torch.nn (torch.ao.quantization.QuantStub) */
  readonly namespaces?: readonly string[];
  /** the torch version that introduced the layer; before it, torch.nn has no such name */
  readonly since?: string;
  /** the Python module of the class when it is not torch.nn's (einops.layers.torch.Rearrange) */
  readonly pythonModule?: string;
  /** constructor or forward arguments added after the layer, with the version of each */
  readonly paramsSince?: Readonly<Record<string, string>>;
}

export interface OpRule {
  /** qualified names: "torch.flatten", "Tensor.flatten", "torch.nn.functional.relu" */
  readonly names: readonly string[];
  /** the parameters, as a Python parameter list; a Tensor method binds self to the first */
  readonly signature: string;
  readonly apply: (args: Args, ctx: RuleContext) => Value;
  /** the torch version that introduced the op; before it, the name does not exist */
  readonly since?: string;
  /** arguments added after the op, with the version of each */
  readonly paramsSince?: Readonly<Record<string, string>>;
}

/**
 * A torch.nn layer's constructor rejected its arguments (Conv2d(3, 16, 3, groups=4)):
 * PyTorch raises the same when the model is built, so it is a definite error.
 */
export class LayerArgumentError extends PyException {
  constructor(
    pyType: string,
    pyMessage: string,
    value?: PyException["value"],
    location?: PyException["location"],
    /** the argument rejected was None (a parameter's `= None` placeholder default, when a class is built with its defaults) */
    readonly rejectedNone = false,
  ) {
    super(pyType, pyMessage, value, location);
  }
}

/** A layer's forward needs a setting whose value the analysis does not know: its output is unknown, never a guess. */
export class UnknownSetting extends Error {
  constructor(
    readonly layer: string,
    readonly setting: string,
    readonly why: string,
  ) {
    super(`${layer}'s ${setting} is not known (${why})`);
  }
}

/** A layer argument that must be a number is None. */
export class NoneArgument extends PyException {}

/** Thrown when a symbolic model input reaches a layer that knows what rank and sizes it wants. */
export class InputShapeNeeded extends Error {
  constructor(
    readonly shape: Shape,
    readonly dtype: DType,
    /** other ranks the layer takes as well ([N, C, L] beside [N, C]): tried when the guess leads to errors */
    readonly alternatives: readonly Shape[] = [],
  ) {
    super("input shape needed");
  }
}

export interface ReportOptions {
  readonly severity?: Severity;
  readonly related?: readonly RelatedLocation[];
  /** a suggested fix, from the Fix registry */
  readonly fix?: string;
}

/** What messages may say about the model being analysed: names, source text, its inputs. */
export interface MessageFacts {
  /** a module's qualified name in the model (named_modules), when it is part of it */
  moduleName(module: ObjectValue): string | undefined;
  /** the source text at a location, when the file is known */
  sourceText(location: SourceLocation): string | undefined;
  /** the model's forward() inputs */
  readonly inputs: readonly Tensor[];
}

/** Where rules report: the call site, the layer's definition, diagnostics and notes. */
export interface RuleContext {
  readonly interp: Interpreter;
  /** the call being analysed */
  readonly site: SourceLocation | undefined;
  /** the layer whose forward runs, if any */
  readonly layer?: Layer;
  /** names and source text for messages; absent when a rule runs outside an analysis (unit tests) */
  readonly facts?: MessageFacts;
  /** the op was called as a Tensor method (`x.view(...)`): its self is the receiver, not the first argument */
  readonly methodCall?: boolean;
  /**
   * Report a fault (a message from the registry); analysis goes on with the rule's
   * best output. The handle lets a later rule add to the same fault.
   */
  report(message: DiagnosticMessage, options?: ReportOptions): FaultHandle | undefined;
  note(message: string): void;
  /**
   * Count the floating-point operations of a matrix product this call makes, 2 per
   * multiply-add as torch.utils.flop_counter counts them; undefined when a size is
   * not known (the figure becomes unknown, never a guess).
   */
  countFlops(flops: Dim | undefined): void;
}

/** Typed access to bound arguments. Type errors are Python TypeErrors. */
export class Args {
  constructor(
    readonly values: ReadonlyMap<string, Value>,
    readonly owner: string,
  ) {}

  value(name: string): Value {
    const v = this.values.get(name);
    if (v === undefined) throw new Error(`${this.owner}: rule reads undeclared argument '${name}'`);
    return v;
  }

  has(name: string): boolean {
    const v = this.values.get(name);
    return v !== undefined && v.kind !== "none";
  }

  isNone(name: string): boolean {
    return this.value(name).kind === "none";
  }

  /** an integer argument; symbolic values are allowed (Dim) */
  dim(name: string): Dim {
    const v = this.value(name);
    const n = numericValue(v);
    // an unknown says why it is unknown (an unresolved import, an unmodelled call), not only that it is not an int
    if (n === undefined && v.kind === "unknown") throw new PyException("TypeError", `${this.owner}(): argument '${name}' is unknown: ${v.why}`);
    if (n === undefined) throw new (v.kind === "none" ? NoneArgument : PyException)("TypeError", `${this.owner}(): argument '${name}' must be int, not ${pyRepr(v)}`);
    return n;
  }

  int(name: string): number {
    const n = this.dim(name);
    if (typeof n !== "number") throw new PyException("TypeError", `${this.owner}(): argument '${name}' must be a concrete int`);
    return n;
  }

  optionalInt(name: string): number | undefined {
    return this.isNone(name) ? undefined : this.int(name);
  }

  float(name: string): number {
    const v = this.value(name);
    if (v.kind === "float") return v.value;
    const n = numericValue(v);
    if (typeof n === "number") return n;
    throw new PyException("TypeError", `${this.owner}(): argument '${name}' must be a number`);
  }

  bool(name: string): boolean {
    const v = this.value(name);
    if (v.kind === "bool") return v.value;
    if (v.kind === "none") return false;
    const n = numericValue(v);
    if (typeof n === "number") return n !== 0;
    return true;
  }

  str(name: string): string | undefined {
    const v = this.value(name);
    return v.kind === "str" ? v.value : undefined;
  }

  /**
   * A flag that decides the layer's output shape (batch_first, bidirectional,
   * ceil_mode), kept as an attribute: its bool, or the unknown itself, so that
   * the forward rule never runs on a guess (Layer.bool then throws UnknownSetting).
   */
  setting(name: string): boolean | Value {
    const v = this.value(name);
    return v.kind === "unknown" ? v : this.bool(name);
  }

  /** an int or a sequence of ints, as n ints (kernel_size=3 → [3, 3]) */
  ints(name: string, n: number): number[] {
    const v = this.value(name);
    if (v.kind === "tuple" || v.kind === "list") {
      const xs = v.items.map((x) => numericValue(x));
      if (xs.some((x) => typeof x !== "number")) throw new PyException("TypeError", `${this.owner}(): argument '${name}' must be ints`);
      if (xs.length === 1 && n > 1) return Array(n).fill(xs[0]);
      if (xs.length !== n) throw new PyException("ValueError", `${this.owner}(): argument '${name}' must have ${n} elements, not ${xs.length}`);
      return xs as number[];
    }
    return Array(n).fill(this.int(name));
  }

  /** a sequence of ints of any length (or one int) */
  intList(name: string): Dim[] {
    const v = this.value(name);
    if (v.kind === "tuple" || v.kind === "list") {
      return v.items.map((x) => {
        const d = numericValue(x);
        if (d === undefined) throw new PyException("TypeError", `${this.owner}(): argument '${name}' must be a sequence of ints`);
        return d;
      });
    }
    return [this.dim(name)];
  }

  tensor(name: string): Tensor | undefined {
    const v = this.value(name);
    return v.kind === "tensor" ? v : undefined;
  }
}

/** A built-in layer as its rules see it: attributes and parameters of the module object. */
export class Layer {
  constructor(readonly obj: ObjectValue) {}

  get typeName(): string {
    return this.obj.cls.name;
  }

  attr(name: string): Value {
    return this.obj.attrs.get(name) ?? this.obj.module?.params.get(name) ?? this.obj.module?.children.get(name) ?? NONE;
  }

  int(name: string): number {
    const n = numericValue(this.attr(name));
    if (typeof n !== "number") throw new PyException("TypeError", `${this.typeName}.${name} must be an int`);
    return n;
  }

  optionalInt(name: string): number | undefined {
    const v = this.attr(name);
    if (v.kind === "none") return undefined;
    return this.int(name);
  }

  float(name: string): number {
    const v = this.attr(name);
    if (v.kind === "float") return v.value;
    return this.int(name);
  }

  bool(name: string): boolean {
    const v = this.attr(name);
    if (v.kind === "unknown") throw new UnknownSetting(this.typeName, name, v.why);
    return v.kind === "bool" ? v.value : numericValue(v) !== 0 && v.kind !== "none";
  }

  str(name: string): string | undefined {
    const v = this.attr(name);
    return v.kind === "str" ? v.value : undefined;
  }

  ints(name: string): number[] {
    const v = this.attr(name);
    if (v.kind === "tuple" || v.kind === "list") return v.items.map((x) => numericValue(x) as number);
    return [this.int(name)];
  }

  param(name: string): Tensor | undefined {
    const p = this.obj.module?.params.get(name);
    return p?.kind === "tensor" ? p : undefined;
  }

  /** where the layer was constructed in __init__ */
  get definedAt(): SourceLocation | undefined {
    return this.obj.module?.createdAt;
  }
}

/** What a rule's build may declare. */
export interface LayerBuilder {
  attr(name: string, value: PlainValue): void;
  param(name: string, shape: Shape | undefined, options?: { requiresGrad?: boolean }): void;
  buffer(name: string, shape: Shape | undefined, dtype?: DType): void;
  /** a child module built from another rule (MultiheadAttention.out_proj) */
  child(name: string, type: string, args: Readonly<Record<string, PlainValue>>): ObjectValue;
  /** a child module that is given (TransformerEncoder's deep copies of its layer) */
  adopt(name: string, module: Value): void;
  readonly interp: Interpreter;
}

export type PlainValue = Value | number | boolean | string | null | readonly PlainValue[];

/** JS → Python: numbers are ints when integral, arrays become tuples. */
export function toValue(v: PlainValue): Value {
  if (v === null) return NONE;
  if (typeof v === "number") return Number.isInteger(v) ? int(v) : float(v);
  if (typeof v === "boolean") return bool(v);
  if (typeof v === "string") return str(v);
  if (Array.isArray(v)) return tuple(v.map(toValue));
  return v as Value;
}

export function toListValue(v: readonly PlainValue[]): Value {
  return list(v.map(toValue));
}
