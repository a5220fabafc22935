// importlib, as libraries use it to import lazily and to ask what is installed:
// import_module (absolute or relative to a package), util.find_spec and
// metadata.version. What the search paths do not tell is unknown, never "absent".
import { makeClass, type BuiltinTypes } from "./builtins.js";
import { PyException } from "./errors.js";
import { pyStr } from "./operators.js";
import { Scope } from "./scope.js";
import { nativeNamespace } from "./stdlib.js";
import { makeObject, native, NONE, str, unknown, type NamespaceValue, type NativeCall } from "./values.js";

/** `import_module(".utils", "pkg.sub")` → "pkg.sub.utils"; an absolute name is itself. */
export function absoluteModuleName(name: string, pkg: string | undefined): string {
  const level = /^\.*/.exec(name)![0].length;
  if (level === 0) return name;
  if (!pkg) throw new PyException("TypeError", `the 'package' argument is required to perform a relative import for '${name}'`);
  const base = pkg.split(".");
  if (level - 1 > base.length - 1) throw new PyException("ImportError", "attempted relative import beyond top-level package");
  const parent = base.slice(0, base.length - (level - 1)).join(".");
  const rest = name.slice(level);
  return rest ? `${parent}.${rest}` : parent;
}

/** A scope standing for the module that calls importlib, so that its package's imports resolve as its own do. */
function callerScope(call: NativeCall): Scope {
  const file = call.site?.file ?? call.interp.site?.file ?? "<importlib>";
  return new Scope("module", undefined, file, "");
}

export function importlibModule(types: BuiltinTypes): NamespaceValue {
  const packageNotFound = makeClass("PackageNotFoundError", [types.ImportError], {}, undefined, "importlib.metadata");
  const specClass = makeClass("ModuleSpec", [types.object], {}, undefined, "importlib.machinery");
  const importModule = native("importlib.import_module", (call) => {
    const pkg = call.args[1] ?? call.kwargs.get("package");
    const name = absoluteModuleName(pyStr(call.args[0] ?? NONE), pkg && pkg.kind === "str" ? pkg.value : undefined);
    const found = call.interp.imports.importModule(name, 0, callerScope(call), call.interp);
    if (!found) return unknown(`module '${name}' could not be resolved`);
    return found;
  });
  const findSpec = native("importlib.util.find_spec", (call) => {
    const name = pyStr(call.args[0] ?? NONE);
    const exists = call.interp.imports.moduleExists?.(name, callerScope(call));
    if (!exists) return unknown(`whether module '${name}' is installed is not known from the search paths`);
    const spec = makeObject(specClass);
    spec.attrs.set("name", str(name));
    return spec;
  });
  const version = native("importlib.metadata.version", (call) => {
    const name = pyStr(call.args[0] ?? NONE);
    const found = call.interp.imports.distributionVersion?.(name);
    return found !== undefined ? str(found) : unknown(`the installed version of '${name}' is not known from the search paths`);
  });
  const util = nativeNamespace("importlib.util", { find_spec: findSpec });
  const metadata = nativeNamespace("importlib.metadata", { version, PackageNotFoundError: packageNotFound });
  return nativeNamespace("importlib", { import_module: importModule, util, metadata });
}
