// Python's exception hierarchy, as builtins binds it.
import type { BuiltinTypes } from "../builtins.js";
import { native, NONE, tuple, type ClassValue } from "../values.js";
import { makeClass } from "./makeClass.js";

/** Fills in types.BaseException's __init__, types.Exception and types.ImportError; returns every exception class by name. */
export function installExceptions(types: BuiltinTypes): Record<string, ClassValue> {
  const exceptionInit = native("BaseException.__init__", (call) => {
    const self = call.args[0];
    if (self.kind === "object") self.attrs.set("args", tuple(call.args.slice(1)));
    return NONE;
  });
  types.BaseException.attrs.set("__init__", exceptionInit);
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
