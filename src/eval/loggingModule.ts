// logging, as libraries set it up at import time: module-level loggers, handlers
// and formatters, levels, and methods added to logging.Logger. Nothing is ever
// printed; every logging call does nothing and returns None, as it would when
// nothing is configured to listen.
import { makeClass, type BuiltinTypes } from "./builtins.js";
import { nativeNamespace } from "./stdlib.js";
import { bool, int, list, makeObject, native, NONE, str, type ClassValue, type NamespaceValue, type NativeCall, type ObjectValue, type Value } from "./values.js";

const levels: Record<string, number> = { CRITICAL: 50, FATAL: 50, ERROR: 40, WARNING: 30, WARN: 30, INFO: 20, DEBUG: 10, NOTSET: 0 };

const nothing = (name: string) => native(name, () => NONE);

/** A class of the logging module whose instances take any constructor arguments and keep their attributes. */
function loggingClass(name: string, bases: readonly ClassValue[], methods: Record<string, Value>): ClassValue {
  return makeClass(name, bases, { __init__: nothing(`${name}.__init__`), ...methods }, undefined, "logging");
}

export function loggingModule(types: BuiltinTypes): NamespaceValue {
  const selfOf = (call: NativeCall): ObjectValue | undefined => (call.args[0]?.kind === "object" ? call.args[0] : undefined);
  const levelOf = (call: NativeCall): Value => selfOf(call)?.attrs.get("level") ?? int(levels.WARNING);
  const logMethods = Object.fromEntries(["debug", "info", "warning", "warn", "error", "critical", "fatal", "exception", "log"].map((m) => [m, nothing(`Logger.${m}`)]));
  const filterer = loggingClass("Filterer", [types.object], { addFilter: nothing("addFilter"), removeFilter: nothing("removeFilter"), filter: native("filter", () => bool(true)) });
  const logger = loggingClass("Logger", [filterer], {
    ...logMethods,
    setLevel: native("Logger.setLevel", (call) => {
      selfOf(call)?.attrs.set("level", call.args[1] ?? int(0));
      return NONE;
    }),
    getEffectiveLevel: native("Logger.getEffectiveLevel", levelOf),
    isEnabledFor: native("Logger.isEnabledFor", () => bool(false)),
    addHandler: nothing("Logger.addHandler"),
    removeHandler: nothing("Logger.removeHandler"),
    hasHandlers: native("Logger.hasHandlers", () => bool(false)),
    getChild: native("Logger.getChild", (call) => getLogger(`${nameOf(selfOf(call))}.${call.args[1]?.kind === "str" ? call.args[1].value : ""}`)),
  });
  const loggers = new Map<string, ObjectValue>();
  const nameOf = (o: ObjectValue | undefined): string => {
    const n = o?.attrs.get("name");
    return n?.kind === "str" ? n.value : "root";
  };
  function getLogger(name: string): ObjectValue {
    let found = loggers.get(name);
    if (!found) {
      found = makeObject(logger);
      found.attrs.set("name", str(name));
      found.attrs.set("level", int(name === "root" ? levels.WARNING : levels.NOTSET));
      found.attrs.set("handlers", list([]));
      found.attrs.set("propagate", bool(true));
      found.attrs.set("disabled", bool(false));
      loggers.set(name, found);
    }
    return found;
  }
  const handler = loggingClass("Handler", [filterer], {
    setLevel: nothing("Handler.setLevel"),
    setFormatter: nothing("Handler.setFormatter"),
    flush: nothing("Handler.flush"),
    close: nothing("Handler.close"),
    emit: nothing("Handler.emit"),
    handle: nothing("Handler.handle"),
  });
  const streamHandler = loggingClass("StreamHandler", [handler], {});
  return nativeNamespace("logging", {
    ...Object.fromEntries(Object.entries(levels).map(([k, v]) => [k, int(v)])),
    Logger: logger,
    Handler: handler,
    StreamHandler: streamHandler,
    FileHandler: loggingClass("FileHandler", [streamHandler], {}),
    NullHandler: loggingClass("NullHandler", [handler], {}),
    Formatter: loggingClass("Formatter", [types.object], { format: native("Formatter.format", () => str("")) }),
    Filter: loggingClass("Filter", [types.object], { filter: native("Filter.filter", () => bool(true)) }),
    LogRecord: loggingClass("LogRecord", [types.object], {}),
    getLogger: native("logging.getLogger", (call) => getLogger(call.args[0]?.kind === "str" ? call.args[0].value : "root")),
    root: getLogger("root"),
    basicConfig: nothing("logging.basicConfig"),
    captureWarnings: nothing("logging.captureWarnings"),
    disable: nothing("logging.disable"),
    getLevelName: native("logging.getLevelName", (call) => {
      const v = call.args[0];
      const name = v?.kind === "int" ? Object.keys(levels).find((k) => levels[k] === Number(v.value)) : undefined;
      return name ? str(name) : str(`Level ${v?.kind === "int" ? v.value : "?"}`);
    }),
    ...logMethods,
  });
}
