// Python's exception hierarchy, as builtins binds it.
import type { BuiltinTypes } from "../builtins.js";
import { PyException } from "../errors.js";
import { native, NONE, str, tuple, type ClassValue, type ObjectValue, type SourceLocation, type Value } from "../values.js";
import { pyRepr } from "../operators.js";
import { makeClass } from "./makeClass.js";
import { reprOfValue, strOfValue } from "./conversions.js";

/**
 * What Python prints for an exception the evaluator raised itself (its args hold that
 * text): KeyError's is already the key's repr, which str() must not quote again.
 */
const printedMessages = new WeakMap<ObjectValue, string>();

/** The exception object `except ... as e` binds for an exception the evaluator raised: str(e) is `message`. */
export function markPrintedMessage(exception: ObjectValue, message: string): void {
  printedMessages.set(exception, message);
}

/** Python's KeyError for a missing key: str(e) is the key's repr, e.args[0] the key itself. */
export function keyError(key: Value, location?: SourceLocation): PyException {
  const e = new PyException("KeyError", pyRepr(key), undefined, location);
  e.pyArgs = [key];
  return e;
}

/** BaseException.__str__: '' without arguments, str of the one argument (its repr for KeyError), else the repr of the tuple. */
function exceptionStr(self: ObjectValue, interp: Parameters<typeof strOfValue>[0], keyError: ClassValue | undefined): Value {
  const printed = printedMessages.get(self);
  if (printed !== undefined) return str(printed);
  const args = self.attrs.get("args");
  if (args?.kind !== "tuple") return str("");
  if (args.items.length === 0) return str("");
  if (args.items.length > 1) return str(pyRepr(args));
  return keyError && self.cls.mro.includes(keyError) ? reprOfValue(interp, args.items[0]) : strOfValue(interp, args.items[0]);
}

/** BaseException.__repr__: the class's name and the arguments' reprs, TypeError('bad width'). */
function exceptionRepr(self: ObjectValue, interp: Parameters<typeof strOfValue>[0], keyError: ClassValue | undefined): Value {
  // the evaluator's KeyError message is already the key's repr
  const printed = printedMessages.get(self);
  if (printed !== undefined) return str(`${self.cls.name}(${keyError && self.cls.mro.includes(keyError) ? printed : pyRepr(str(printed))})`);
  const args = self.attrs.get("args");
  const items = args?.kind === "tuple" ? args.items : [];
  const reprs = items.map((a) => {
    const r = reprOfValue(interp, a);
    return r.kind === "str" ? r.value : pyRepr(r);
  });
  return str(`${self.cls.name}(${reprs.join(", ")})`);
}

/** Fills in types.BaseException's __init__, types.Exception and types.ImportError; returns every exception class by name. */
export function installExceptions(types: BuiltinTypes): Record<string, ClassValue> {
  const exceptionInit = native("BaseException.__init__", (call) => {
    const self = call.args[0];
    if (self.kind === "object") self.attrs.set("args", tuple(call.args.slice(1)));
    return NONE;
  });
  types.BaseException.attrs.set("__init__", exceptionInit);
  types.BaseException.attrs.set("__str__", native("BaseException.__str__", (call) => (call.args[0]?.kind === "object" ? exceptionStr(call.args[0], call.interp, classes.KeyError) : str(""))));
  types.BaseException.attrs.set("__repr__", native("BaseException.__repr__", (call) => (call.args[0]?.kind === "object" ? exceptionRepr(call.args[0], call.interp, classes.KeyError) : str(""))));
  types.Exception = makeClass("Exception", [types.BaseException]);
  const exceptionTree: Record<string, string> = {
    ArithmeticError: "Exception",
    ZeroDivisionError: "ArithmeticError",
    LookupError: "Exception",
    KeyError: "LookupError",
    IndexError: "LookupError",
    ValueError: "Exception",
    TypeError: "Exception",
    AttributeError: "Exception",
    NameError: "Exception",
    ImportError: "Exception",
    ModuleNotFoundError: "ImportError",
    RuntimeError: "Exception",
    NotImplementedError: "RuntimeError",
    AssertionError: "Exception",
    StopIteration: "Exception",
    OSError: "Exception",
    FileNotFoundError: "OSError",
    Warning: "Exception",
    UserWarning: "Warning",
    DeprecationWarning: "Warning",
    PendingDeprecationWarning: "Warning",
    FutureWarning: "Warning",
    RuntimeWarning: "Warning",
    SyntaxWarning: "Warning",
    ImportWarning: "Warning",
    ResourceWarning: "Warning",
    SyntaxError: "Exception",
    IndentationError: "SyntaxError",
    TabError: "IndentationError",
    KeyboardInterrupt: "BaseException",
    SystemExit: "BaseException",
    GeneratorExit: "BaseException",
    FloatingPointError: "ArithmeticError",
    OverflowError: "ArithmeticError",
    BufferError: "Exception",
    EOFError: "Exception",
    MemoryError: "Exception",
    ReferenceError: "Exception",
    SystemError: "Exception",
    StopAsyncIteration: "Exception",
    RecursionError: "RuntimeError",
    UnboundLocalError: "NameError",
    UnicodeError: "ValueError",
    UnicodeEncodeError: "UnicodeError",
    UnicodeDecodeError: "UnicodeError",
    UnicodeTranslateError: "UnicodeError",
    BlockingIOError: "OSError",
    ChildProcessError: "OSError",
    ConnectionError: "OSError",
    BrokenPipeError: "ConnectionError",
    ConnectionAbortedError: "ConnectionError",
    ConnectionRefusedError: "ConnectionError",
    ConnectionResetError: "ConnectionError",
    FileExistsError: "OSError",
    InterruptedError: "OSError",
    IsADirectoryError: "OSError",
    NotADirectoryError: "OSError",
    PermissionError: "OSError",
    ProcessLookupError: "OSError",
    TimeoutError: "OSError",
    UnicodeWarning: "Warning",
    BytesWarning: "Warning",
    EncodingWarning: "Warning",
  };
  const classes: Record<string, ClassValue> = { BaseException: types.BaseException, Exception: types.Exception };
  for (const [name, base] of Object.entries(exceptionTree)) classes[name] = makeClass(name, [classes[base]]);
  // old names of OSError
  classes.EnvironmentError = classes.IOError = classes.OSError;
  types.ImportError = classes.ImportError;
  return classes;
}
