// The values of the evaluator. In __init__ they are mostly concrete (ints, lists,
// configs, module objects); in forward tensors are abstract (shape + dtype).
// Unknown is a value, not an exception: it flows on and says why.
import type { Expr, Parameter, Span, Stmt } from "../parse/ast.js";
import type { Dim } from "../shapes/dim.js";
import type { DType, Tensor } from "../shapes/tensor.js";
import type { Interpreter } from "./interpreter.js";
import type { Scope } from "./scope.js";

export interface SourceLocation {
  readonly file: string;
  readonly span: Span;
}

export interface NoneValue { readonly kind: "none" }
export interface EllipsisValue { readonly kind: "ellipsis" }
export interface BoolValue { readonly kind: "bool"; readonly value: boolean }
/** Python int; symbolic when it comes from a symbolic tensor size. */
export interface IntValue { readonly kind: "int"; readonly value: Dim }
export interface FloatValue { readonly kind: "float"; readonly value: number }
export interface StrValue {
  readonly kind: "str";
  readonly value: string;
  /** torch.__version__ (a TorchVersion): compares with strings and tuples as a version (packaging.Version), not as text */
  readonly comparesAsVersion?: boolean;
}
export interface TupleValue { readonly kind: "tuple"; readonly items: readonly Value[]; readonly namedtuple?: ClassValue }
export interface ListValue { readonly kind: "list"; items: Value[] }
export interface SetValue { readonly kind: "set"; readonly entries: Map<string, Value> }
export interface DictEntry { readonly key: Value; value: Value }
export interface DictValue {
  readonly kind: "dict";
  readonly entries: Map<string, DictEntry>;
  readonly ordered?: boolean;
  /** collections.defaultdict: called for a missing key, whose value it becomes */
  readonly defaultFactory?: Value;
}
export interface SliceValue { readonly kind: "slice"; readonly lower: Value; readonly upper: Value; readonly step: Value }
export interface RangeValue { readonly kind: "range"; readonly start: number; readonly stop: number; readonly step: number }
export interface DTypeValue { readonly kind: "dtype"; readonly dtype: DType }
/** An exhaustible iterator (generator expression results, iter(), zip, map, ...): items produced eagerly. */
export interface IteratorValue { readonly kind: "iterator"; readonly items: Value[]; position: number }

export interface UnknownValue {
  readonly kind: "unknown";
  readonly why: string;
  /**
   * A sequence whose length is a size we cannot count (a comprehension over the
   * rows of a tensor whose length depends on the data), every item like `item`.
   * Only len() and the tensor joins read it; to everything else it is unknown.
   */
  readonly rows?: { readonly count: Dim; readonly item: Value };
}

export interface FunctionValue {
  readonly kind: "function";
  readonly name: string;
  readonly qualname: string;
  readonly params: readonly Parameter[];
  readonly defaults: ReadonlyMap<string, Value>;
  /** statements of a def, or the expression of a lambda */
  readonly body: readonly Stmt[] | Expr;
  readonly closure: Scope;
  readonly file: string;
  readonly span: Span;
  /** the return annotation of its def: `-> Float[Tensor, "b 10"]` */
  readonly returns?: Expr;
  /** the class whose body defined it: what zero-argument super() refers to */
  definingClass?: ClassValue;
  readonly isGenerator: boolean;
  /** functools.partial-like wrappers and decorators may attach a docstring-free marker */
  readonly attrs: Map<string, Value>;
  /** the docstring of its def: `__doc__` until something assigns one */
  readonly docstring?: string;
}

export interface BoundMethodValue { readonly kind: "boundmethod"; readonly self: Value; readonly func: Value }

export interface NativeCall {
  readonly args: readonly Value[];
  readonly kwargs: ReadonlyMap<string, Value>;
  readonly interp: Interpreter;
  /** where the call is written, for diagnostics */
  readonly site?: SourceLocation;
}
export interface NativeFunctionValue {
  readonly kind: "native";
  readonly name: string;
  readonly call: (call: NativeCall) => Value;
  /** the native only stores its arguments (functools.partial): lazy ones stay lazy */
  readonly keepsLazyArgs?: boolean;
  /** a native that stands for a class (functools.partial): isinstance(v, it) */
  readonly instanceCheck?: (v: Value) => boolean;
}

/** staticmethod / classmethod / property wrappers in a class body */
export interface DescriptorValue { readonly kind: "staticmethod" | "classmethod" | "property"; readonly func: Value; setter?: Value }

/** functools.partial(func, *args, **kwargs) */
export interface PartialValue { readonly kind: "partial"; readonly func: Value; readonly args: readonly Value[]; readonly kwargs: ReadonlyMap<string, Value> }

/** What makes a class native: how calling it builds an instance, for torch and builtins. */
export interface NativeClassBehaviour {
  /** construct a value directly (int(), list(), OrderedDict(), Enum, ...) instead of object + __init__ */
  readonly construct?: (cls: ClassValue, call: NativeCall) => Value;
  /** prepare a fresh instance before __init__ runs (nn.Module's registries) */
  readonly onCreate?: (obj: ObjectValue, site: SourceLocation | undefined, interp: Interpreter) => void;
  /** isinstance() for abstract classes that recognise values by what they can do (collections.abc.Sequence) */
  readonly instanceCheck?: (v: Value) => boolean;
}

export interface ClassValue {
  readonly kind: "class";
  readonly name: string;
  readonly qualname: string;
  readonly bases: readonly ClassValue[];
  /** method resolution order, the class first */
  mro: readonly ClassValue[];
  readonly attrs: Map<string, Value>;
  readonly native?: NativeClassBehaviour;
  /** for user classes: where `class X` is written */
  readonly location?: SourceLocation;
  /** dotted module the class belongs to ("torch.nn", or a user file's module name) */
  readonly module: string;
  readonly decorators: string[];
  /** the class's type when it is not plain `type` (metaclass=...): its methods are methods of the class (EnumMeta.__getitem__) */
  metaclass?: ClassValue;
}

/** The state nn.Module.__init__ creates and nn.Module.__setattr__ maintains. */
export interface ModuleState {
  readonly children: Map<string, ObjectValue | NoneValue>;
  readonly params: Map<string, Tensor | NoneValue>;
  readonly buffers: Map<string, Tensor | NoneValue>;
  /** where the module was constructed (the call in __init__), for diagnostics and rows */
  createdAt?: SourceLocation;
  /** a training flag: analysis runs in eval mode */
  training: boolean;
  /** why some children are not known (a container filled from an unknown list): its contents and forward are unknown */
  unknownChildren?: string;
}

export interface ObjectValue {
  readonly kind: "object";
  /** mutable: Lazy modules become their concrete class on first call, as in PyTorch */
  cls: ClassValue;
  readonly attrs: Map<string, Value>;
  /** present when the object is an nn.Module */
  module?: ModuleState;
  /** an instance of a dict or list subclass keeps its items here */
  payload?: DictValue | ListValue;
  readonly id: number;
}

/** super(): attribute lookup continues after `cls` in the MRO of self's type. */
export interface SuperValue { readonly kind: "super"; readonly cls: ClassValue; readonly self: Value }

/** A Python module: a user file's globals, or a native namespace (torch, math, ...). */
export interface NamespaceValue {
  readonly kind: "namespace";
  readonly name: string;
  readonly get: (attr: string) => Value | undefined;
  readonly set?: (attr: string, value: Value) => void;
  /** names an `import *` brings */
  readonly publicNames?: () => string[];
  /** every name dir() lists, where the namespace can tell them all */
  readonly attributeNames?: () => string[];
}

/**
 * A value not computed yet: an imported name (or an attribute of one) whose
 * module is evaluated only when the value is needed. It travels only where a
 * value is moved without being looked at — call arguments, parameter defaults,
 * assignments to names, functools.partial — and is forced everywhere else.
 */
export interface LazyValue {
  readonly kind: "lazy";
  /** what it stands for, e.g. `..transforms._presets.ImageClassification` */
  readonly what: string;
  readonly force: () => Value;
}

export type Value =
  | LazyValue
  | NoneValue
  | EllipsisValue
  | BoolValue
  | IntValue
  | FloatValue
  | StrValue
  | TupleValue
  | ListValue
  | SetValue
  | DictValue
  | SliceValue
  | RangeValue
  | DTypeValue
  | IteratorValue
  | UnknownValue
  | FunctionValue
  | BoundMethodValue
  | NativeFunctionValue
  | DescriptorValue
  | PartialValue
  | ClassValue
  | ObjectValue
  | NamespaceValue
  | SuperValue
  | Tensor;

export const NONE: NoneValue = { kind: "none" };
export const ELLIPSIS: EllipsisValue = { kind: "ellipsis" };
export const TRUE: BoolValue = { kind: "bool", value: true };
export const FALSE: BoolValue = { kind: "bool", value: false };

export function int(value: Dim): IntValue {
  return { kind: "int", value };
}
export function float(value: number): FloatValue {
  return { kind: "float", value };
}
/** Items of lists, tuples and strings built so far, in this process: the interpreter's allocation budget reads it. */
export const allocationMeter = { items: 0 };

export function str(value: string): StrValue {
  allocationMeter.items += value.length >>> 3;
  return { kind: "str", value };
}
export function bool(value: boolean): BoolValue {
  return value ? TRUE : FALSE;
}
export function tuple(items: readonly Value[]): TupleValue {
  allocationMeter.items += items.length;
  return { kind: "tuple", items };
}
export function list(items: Value[]): ListValue {
  allocationMeter.items += items.length;
  return { kind: "list", items };
}
export function unknown(why: string): UnknownValue {
  return { kind: "unknown", why };
}
export function native(name: string, call: (call: NativeCall) => Value): NativeFunctionValue {
  return { kind: "native", name, call };
}

/** A lazy value computed once, on first force; asked for again while it is being computed (a circular import) it is Unknown. */
export function lazy(what: string, compute: () => Value): LazyValue {
  let state: "pending" | "computing" | "done" = "pending";
  let result: Value = NONE;
  return {
    kind: "lazy",
    what,
    force: () => {
      if (state === "done") return result;
      if (state === "computing") return unknown(`${what} is needed while it is being resolved (a circular import)`);
      state = "computing";
      try {
        result = forceValue(compute());
        state = "done";
        return result;
      } finally {
        if (state === "computing") state = "pending";
      }
    },
  };
}

/** The value itself: a lazy one is computed now. */
export function forceValue(v: Value): Value {
  return v.kind === "lazy" ? v.force() : v;
}

export function makeDict(pairs: Iterable<readonly [Value, Value]> = [], ordered = false): DictValue {
  const entries = new Map<string, DictEntry>();
  for (const [k, v] of pairs) entries.set(hashKey(k), { key: k, value: v });
  return { kind: "dict", entries, ordered };
}

let nextObjectId = 1;
export function makeObject(cls: ClassValue): ObjectValue {
  return { kind: "object", cls, attrs: new Map(), id: nextObjectId++ };
}

const identityKeys = new WeakMap<object, number>();
let nextIdentityKey = 1;
function identityKey(v: object): number {
  let k = identityKeys.get(v);
  if (k === undefined) {
    k = nextIdentityKey++;
    identityKeys.set(v, k);
  }
  return k;
}

/** The dict/set key of a value: equal Python values (1 == 1.0 == True) share a key. */
export function hashKey(v: Value): string {
  switch (v.kind) {
    case "none":
      return "None";
    case "bool":
      return `n:${v.value ? 1 : 0}`;
    case "int":
      return `n:${String(v.value)}`;
    case "float":
      return `n:${v.value}`;
    case "str":
      return `s:${v.value}`;
    case "tuple":
      return `t:(${v.items.map(hashKey).join(",")})`;
    case "dtype":
      return `d:${v.dtype}`;
    default:
      return `#${identityKey(v)}`;
  }
}

export function isNone(v: Value): v is NoneValue {
  return v.kind === "none";
}

export function isModuleObject(v: Value): v is ObjectValue & { module: ModuleState } {
  return v.kind === "object" && v.module !== undefined;
}
