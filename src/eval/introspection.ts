// The standard library's introspection that model-building code uses:
// inspect.signature (decorators that read a function's parameters) and the
// types module's classes.
import { makeClass, type BuiltinTypes } from "./builtins.js";
import { PyException } from "./errors.js";
import { nativeNamespace } from "./stdlib.js";
import { bool, forceValue, int, makeDict, makeObject, native, NONE, str, tuple, unknown, type ClassValue, type FunctionValue, type NamespaceValue, type Value } from "./values.js";
import type { Parameter } from "../parse/ast.js";
import type { Interpreter } from "./interpreter.js";

/** inspect.Parameter.kind values, in Python's order. */
const parameterKinds = { POSITIONAL_ONLY: 0, POSITIONAL_OR_KEYWORD: 1, VAR_POSITIONAL: 2, KEYWORD_ONLY: 3, VAR_KEYWORD: 4 } as const;

function kindOf(p: Parameter): number {
  switch (p.kind) {
    case "posonly":
      return parameterKinds.POSITIONAL_ONLY;
    case "normal":
      return parameterKinds.POSITIONAL_OR_KEYWORD;
    case "varargs":
      return parameterKinds.VAR_POSITIONAL;
    case "kwonly":
      return parameterKinds.KEYWORD_ONLY;
    case "varkw":
      return parameterKinds.VAR_KEYWORD;
  }
}

/** The function whose parameters a callable has, following functools.wraps' __wrapped__ as inspect does. */
function signatureSource(v: Value, interp: Interpreter): { func: FunctionValue; skipFirst: boolean } | undefined {
  let skipFirst = false;
  for (let depth = 0; depth < 50; depth++) {
    v = forceValue(v);
    if (v.kind === "function") {
      const wrapped = v.attrs.get("__wrapped__");
      if (wrapped) {
        v = wrapped;
        continue;
      }
      return { func: v, skipFirst };
    }
    if (v.kind === "boundmethod") {
      skipFirst = true;
      v = v.func;
      continue;
    }
    if (v.kind === "staticmethod" || v.kind === "classmethod") {
      v = v.func;
      continue;
    }
    if (v.kind === "class") {
      const init = interp.lookupInMro(v, "__init__");
      if (!init) return undefined;
      skipFirst = true;
      v = init.value;
      continue;
    }
    return undefined;
  }
  return undefined;
}

export function inspectModule(types: BuiltinTypes): NamespaceValue {
  const empty = makeClass("_empty", [types.object], {}, undefined, "inspect");
  const parameterClass = makeClass("Parameter", [types.object], Object.fromEntries([...Object.entries(parameterKinds).map(([k, n]) => [k, int(n)]), ["empty", empty]]), undefined, "inspect");
  const signatureClass = makeClass("Signature", [types.object], { empty }, undefined, "inspect");

  const signature = native("inspect.signature", (call) => {
    const source = signatureSource(call.args[0], call.interp);
    if (!source) return unknown("inspect.signature() of a callable whose parameters are not known");
    const params = source.func.params.slice(source.skipFirst ? 1 : 0);
    const entries = params.map((p) => {
      const param = makeObject(parameterClass);
      param.attrs.set("name", str(p.name));
      param.attrs.set("kind", int(kindOf(p)));
      const d = source.func.defaults.get(p.name);
      param.attrs.set("default", d ? forceValue(d) : empty);
      param.attrs.set("annotation", empty);
      return [str(p.name), param] as const;
    });
    const sig = makeObject(signatureClass);
    sig.attrs.set("parameters", makeDict(entries, true));
    sig.attrs.set("return_annotation", empty);
    return sig;
  });

  const isKind = (name: string, kinds: readonly Value["kind"][]) => native(`inspect.${name}`, (call) => bool(kinds.includes(forceValue(call.args[0]).kind)));
  return nativeNamespace("inspect", {
    signature,
    Parameter: parameterClass,
    Signature: signatureClass,
    isclass: isKind("isclass", ["class"]),
    isfunction: isKind("isfunction", ["function"]),
    ismethod: isKind("ismethod", ["boundmethod"]),
    isroutine: isKind("isroutine", ["function", "native", "boundmethod"]),
    ismodule: isKind("ismodule", ["namespace"]),
    getdoc: native("inspect.getdoc", () => NONE),
    isbuiltin: isKind("isbuiltin", ["native"]),
    getmro: native("inspect.getmro", (call) => {
      const cls = forceValue(call.args[0]);
      return cls.kind === "class" ? tuple(cls.mro) : unknown("inspect.getmro of an unknown class");
    }),
    // follows __wrapped__ as functools.wraps sets it
    unwrap: native("inspect.unwrap", (call) => {
      let f = forceValue(call.args[0]);
      for (let i = 0; i < 100 && f.kind === "function" && f.attrs.has("__wrapped__"); i++) f = forceValue(f.attrs.get("__wrapped__")!);
      return f;
    }),
    cleandoc: native("inspect.cleandoc", (call) => {
      const doc = call.args[0];
      return doc?.kind === "str" ? str(cleanDoc(doc.value)) : unknown("inspect.cleandoc of an unknown string");
    }),
  });
}

export function typesModule(types: BuiltinTypes): NamespaceValue {
  // a module object made at run time (lazy modules subclass it): its name and doc, and whatever is set on it
  const moduleType: ClassValue = makeClass(
    "module",
    [types.object],
    {
      __init__: native("module.__init__", (call) => {
        const self = call.args[0];
        if (self?.kind === "object") {
          self.attrs.set("__name__", call.args[1] ?? call.kwargs.get("name") ?? NONE);
          self.attrs.set("__doc__", call.args[2] ?? call.kwargs.get("doc") ?? NONE);
        }
        return NONE;
      }),
    },
    undefined,
    "types",
  );
  const simpleNamespace = makeClass(
    "SimpleNamespace",
    [types.object],
    {},
    {
      construct: (cls, call) => {
        if (call.args.length > 0) throw new PyException("TypeError", "SimpleNamespace() takes no positional arguments");
        const obj = makeObject(cls);
        for (const [k, v] of call.kwargs) obj.attrs.set(k, v);
        return obj;
      },
    },
    "types",
  );
  return nativeNamespace("types", {
    FunctionType: types.function,
    LambdaType: types.function,
    MethodType: types.function,
    BuiltinFunctionType: types.function,
    ModuleType: moduleType,
    SimpleNamespace: simpleNamespace,
  });
}

/** inspect.cleandoc: tabs expanded, the common indentation of the lines after the first removed, blank lines at the ends dropped */
function cleanDoc(doc: string): string {
  const lines = doc.replace(/\t/g, "        ").split("\n");
  const rest = lines.slice(1).filter((l) => l.trim() !== "");
  const margin = rest.length > 0 ? Math.min(...rest.map((l) => l.length - l.trimStart().length)) : 0;
  const out = [lines[0].trimStart(), ...lines.slice(1).map((l) => l.slice(margin))];
  while (out.length > 0 && out[0].trim() === "") out.shift();
  while (out.length > 0 && out[out.length - 1].trim() === "") out.pop();
  return out.join("\n");
}
