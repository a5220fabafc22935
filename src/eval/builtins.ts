// Python's builtins module: its types (object, type, int, str, list, ...), exceptions,
// functions and the methods of the builtin types, each in its own file under builtins/.
import { withRequiredArguments } from "./nativeArguments.js";
import { genericGetAttr, genericSetAttr } from "./attributes.js";
import { installContainerClassMethods } from "./containerSubclasses.js";
import { pyStr } from "./operators.js";
import { Scope } from "./scope.js";
import { bool, ELLIPSIS, list, native, NONE, str, tuple, unknown, type ClassValue, type NativeCall, type NativeClassBehaviour, type Value } from "./values.js";
import { items, maybeItems, truth } from "./builtins/collect.js";
import { dictFrom, setFrom, strOf, toFloat, toInt } from "./builtins/conversions.js";
import { dictFromKeys } from "./builtins/dictMethods.js";
import { classFromTypeCall } from "./builtins/dynamicClass.js";
import { installExceptions } from "./builtins/exceptions.js";
import { installBuiltinFunctions } from "./builtins/functions.js";
import { makeClass } from "./builtins/makeClass.js";
import { installTypeMethods } from "./builtins/methodTables.js";
import { floatMethods, intMethods } from "./builtins/numberMethods.js";
import { makeTrans } from "./builtins/strMethods.js";

export { makeClass } from "./builtins/makeClass.js";
export { requireInt, sortValues } from "./builtins/collect.js";

/** Every name Python 3 binds in builtins: one the evaluator lacks is its gap, never the code's. */
export const pythonBuiltinNames: ReadonlySet<string> = new Set(
  (
    "abs aiter all anext any ascii bin bool breakpoint bytearray bytes callable chr classmethod compile complex copyright credits " +
    "delattr dict dir divmod enumerate eval exec exit filter float format frozenset getattr globals hasattr hash help hex id input " +
    "int isinstance issubclass iter len license list locals map max memoryview min next object oct open ord pow print property quit " +
    "range repr reversed round set setattr slice sorted staticmethod str sum super tuple type vars zip __import__ __build_class__ " +
    "Ellipsis NotImplemented __debug__ BaseException Exception ArithmeticError AssertionError AttributeError BufferError EOFError " +
    "FloatingPointError GeneratorExit ImportError ModuleNotFoundError IndexError KeyError KeyboardInterrupt LookupError MemoryError " +
    "NameError NotImplementedError OSError OverflowError RecursionError ReferenceError RuntimeError StopIteration StopAsyncIteration " +
    "SyntaxError IndentationError TabError SystemError SystemExit TypeError UnboundLocalError UnicodeError UnicodeEncodeError " +
    "UnicodeDecodeError UnicodeTranslateError ValueError ZeroDivisionError EnvironmentError IOError BlockingIOError ChildProcessError " +
    "ConnectionError BrokenPipeError ConnectionAbortedError ConnectionRefusedError ConnectionResetError FileExistsError " +
    "FileNotFoundError InterruptedError IsADirectoryError NotADirectoryError PermissionError ProcessLookupError TimeoutError " +
    "Warning UserWarning DeprecationWarning PendingDeprecationWarning SyntaxWarning RuntimeWarning FutureWarning ImportWarning " +
    "UnicodeWarning BytesWarning ResourceWarning EncodingWarning"
  ).split(" "),
);

export function typeOf(v: Value, b: BuiltinTypes): ClassValue {
  switch (v.kind) {
    case "object":
      return v.cls;
    case "bool":
      return b.bool;
    case "int":
      return b.int;
    case "float":
      return b.float;
    case "str":
      return b.str;
    case "list":
      return b.list;
    case "tuple":
      return v.namedtuple ?? b.tuple;
    case "dict":
      return b.dict;
    case "set":
      return b.set;
    case "none":
      return b.NoneType;
    case "class":
      return b.type;
    case "partial":
      return b.partial;
    case "function":
    case "native":
    case "boundmethod":
      return b.function;
    case "tensor":
      return (v.isParameter ? b.parameterClass : b.tensorClass) ?? b.object;
    default:
      return b.object;
  }
}

export interface BuiltinTypes {
  object: ClassValue;
  type: ClassValue;
  int: ClassValue;
  float: ClassValue;
  bool: ClassValue;
  str: ClassValue;
  list: ClassValue;
  tuple: ClassValue;
  dict: ClassValue;
  set: ClassValue;
  NoneType: ClassValue;
  function: ClassValue;
  /** functools.partial: its objects are not functions (isinstance(p, types.FunctionType) is False) */
  partial: ClassValue;
  BaseException: ClassValue;
  Exception: ClassValue;
  /** what importlib's own errors derive from */
  ImportError: ClassValue;
  /** torch.Tensor, filled in by the torch model */
  tensorClass?: ClassValue;
  /** torch.nn.Parameter, filled in by the torch model */
  parameterClass?: ClassValue;
}

export function isInstance(v: Value, cls: Value, b: BuiltinTypes): boolean | undefined {
  if (cls.kind === "tuple") {
    let result: boolean | undefined = false;
    for (const c of cls.items) {
      const r = isInstance(v, c, b);
      if (r) return true;
      if (r === undefined) result = undefined;
    }
    return result;
  }
  if (cls.kind === "native" && cls.instanceCheck) return v.kind === "unknown" ? undefined : cls.instanceCheck(v);
  if (cls.kind !== "class") return undefined;
  if (v.kind === "unknown") return undefined;
  if (typeOf(v, b).mro.includes(cls)) return true;
  return cls.native?.instanceCheck?.(v) ?? false;
}

function constructor(fn: (call: NativeCall) => Value): NativeClassBehaviour {
  return { construct: (_cls, call) => fn(call) };
}

export function createBuiltins(): { scope: Scope; types: BuiltinTypes } {
  const scope = new Scope("builtins", undefined, "<builtins>", "builtins");
  const object = makeClass("object", []);
  object.attrs.set("__init__", native("object.__init__", () => NONE));
  // object's own lookup and assignment, which a class's __getattribute__/__setattr__ reach through super()
  object.attrs.set("__getattribute__", native("object.__getattribute__", withRequiredArguments("object.__getattribute__", ["name"], (call) => (call.args[0]?.kind === "object" ? genericGetAttr(call.interp, call.args[0], pyStr(call.args[1]), false) : call.interp.getAttr(call.args[0], pyStr(call.args[1]))))));
  object.attrs.set("__setattr__", native("object.__setattr__", (call) => {
    const self = call.args[0];
    if (self?.kind === "object") genericSetAttr(call.interp, self, pyStr(call.args[1]), call.args[2] ?? NONE);
    else call.interp.setAttr(self, pyStr(call.args[1]), call.args[2] ?? NONE);
    return NONE;
  }));
  const type = makeClass("type", [object], {}, constructor((call) => (call.args.length === 1 ? typeOf(call.args[0], types) : classFromTypeCall(call, object))));
  const intCls = makeClass("int", [object], {}, constructor((call) => toInt(call)));
  const types: BuiltinTypes = {
    object,
    type,
    int: intCls,
    float: makeClass("float", [object], {}, constructor((call) => toFloat(call.args[0]?.kind === "tensor" ? call.interp.callValue(call.interp.getAttr(call.args[0], "item"), []) : call.args[0]))),
    bool: makeClass("bool", [intCls], {}, constructor((call) => (call.args[0] ? truth(call.interp, call.args[0]) : bool(false)))),
    str: makeClass("str", [object], {}, constructor((call) => strOf(call))),
    list: makeClass("list", [object], {}, constructor((call) => list(call.args[0] ? (maybeItems(call.interp, call.args[0]) ?? []) : []))),
    tuple: makeClass("tuple", [object], {}, constructor((call) => (call.args[0]?.kind === "unknown" ? call.args[0] : tuple(call.args[0] ? items(call.interp, call.args[0]) : [])))),
    dict: makeClass("dict", [object], {}, constructor((call) => dictFrom(call))),
    set: makeClass("set", [object], {}, constructor((call) => setFrom(call.interp, call.args[0]))),
    NoneType: makeClass("NoneType", [object]),
    function: makeClass("function", [object]),
    // what type() gives for a functools.partial object: not a function
    partial: makeClass("partial", [object], {}, undefined, "functools"),
    BaseException: makeClass("BaseException", [object]),
    Exception: object,
    ImportError: object,
  };
  const classes = installExceptions(types);


  const v = scope.vars;
  for (const [name, cls] of Object.entries({ object, type, int: intCls, float: types.float, bool: types.bool, str: types.str, list: types.list, tuple: types.tuple, dict: types.dict, set: types.set, frozenset: types.set, ...classes })) v.set(name, cls);
  v.set("None", NONE);
  v.set("NotImplemented", unknown("NotImplemented"));
  v.set("Ellipsis", ELLIPSIS);
  v.set("__name__", str("builtins"));
  v.set("__debug__", bool(true));

  installBuiltinFunctions(scope, types);
  // types whose values the evaluator does not model: a call is an honest unknown, isinstance() is False for every value it has
  for (const name of ["bytes", "bytearray", "complex"]) v.set(name, makeClass(name, [object], {}, constructor(() => unknown(`${name} values are not modelled`))));
  installTypeMethods(scope, types);
  installContainerClassMethods(scope, types);
  installStaticTypeMethods(types);
  return { scope, types };
}

/** Methods the class itself offers, without an instance: dict.fromkeys, str.maketrans, float.fromhex, int.from_bytes. */
function installStaticTypeMethods(types: BuiltinTypes): void {
  types.dict.attrs.set("fromkeys", native("dict.fromkeys", (call) => dictFromKeys(call, 0)));
  types.str.attrs.set("maketrans", native("str.maketrans", (call) => makeTrans(call, 0)));
  types.float.attrs.set("fromhex", native("float.fromhex", floatMethods.fromhex));
  types.int.attrs.set("from_bytes", native("int.from_bytes", intMethods.from_bytes));
}
