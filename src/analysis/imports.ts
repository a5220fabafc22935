// Import resolution: the standard library and torch are native; everything else
// is Python source found on disk — the file's own folder, the package it sits
// in, and extra search paths (e.g. an installed torchvision) — evaluated lazily.
import { dirname, join, resolve } from "node:path";
import type { ImportResolver, Interpreter } from "../eval/interpreter.js";
import { BudgetExceeded, PyException } from "../eval/errors.js";
import { Scope } from "../eval/scope.js";
import { hashKey, makeDict, str, unknown, type NamespaceValue, type Value } from "../eval/values.js";
import { parsePython, PythonSyntaxError } from "../parse/parser.js";
import type { PyModule } from "../parse/ast.js";
import { bindsAtTopLevel } from "./boundNames.js";
import { cachedSyntax } from "./syntaxCache.js";
import { isFolder, listFolder, pathExists, readTextFile } from "./diskReads.js";
import type { TorchRuntime } from "../torch/runtime.js";
import { EinopsRuntime, latestEinopsVersion } from "../torch/einopsRuntime.js";

export interface LoadedModule {
  readonly name: string;
  readonly file: string;
  readonly scope: Scope;
  readonly syntax: PyModule;
  readonly namespace: NamespaceValue;
}

/** Where a dotted module name lives on disk. */
function findModuleFile(root: string, dotted: string): { file: string; isPackage: boolean } | undefined {
  const base = join(root, ...dotted.split("."));
  const pkg = join(base, "__init__.py");
  if (pathExists(pkg)) return { file: pkg, isPackage: true };
  if (pathExists(`${base}.py`)) return { file: `${base}.py`, isPackage: false };
  // a namespace package: a folder without __init__.py
  if (isFolder(base)) return { file: join(base, "__init__.py"), isPackage: true };
  return undefined;
}

/** The folder above the outermost package containing a file: where absolute imports of that package start. */
export function packageRootOf(file: string): string {
  let dir = dirname(resolve(file));
  while (pathExists(join(dir, "__init__.py")) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** getattr(module, name) that gives undefined where Python raises AttributeError. */
function attributeOrUndefined(interp: Interpreter, obj: Value, attr: string): Value | undefined {
  try {
    return interp.getAttr(obj, attr);
  } catch (e) {
    if (e instanceof PyException && e.pyType === "AttributeError") return undefined;
    throw e;
  }
}

/** The dotted module name of a file relative to a search root. */
function moduleNameFor(file: string, root: string): string {
  const rel = resolve(file).slice(resolve(root).length + 1).replace(/\.py$/, "").replace(/[\\/]/g, ".");
  return rel.replace(/\.__init__$/, "");
}

/** What the loader needs to say about a package it cannot find: where it looked, and which names are the standard library's. */
export interface MissingPackageAdvice {
  /** which environment was searched: "python3 on PATH /usr/bin/python3" */
  readonly environment?: string;
  readonly stdlibModules: ReadonlySet<string>;
}

export class ModuleLoader implements ImportResolver {
  private readonly byFile = new Map<string, LoadedModule>();
  /** top-level packages imported but found nowhere (not torch, not the standard library) */
  readonly missingPackages = new Set<string>();
  private readonly stdlib: Map<string, () => NamespaceValue>;
  private readonly stdlibCache = new Map<string, NamespaceValue>();
  /** sys.modules: every module imported so far by its dotted name, registered before its body runs, as Python does */
  private readonly sysModules = makeDict();
  /** einops is knowledge, as torch is: made on its first import, at the environment's einops version */
  private einops: EinopsRuntime | undefined;

  constructor(
    private readonly torch: TorchRuntime,
    stdlib: Map<string, () => NamespaceValue>,
    private readonly searchPaths: readonly string[],
    private readonly advice: MissingPackageAdvice = { stdlibModules: new Set() },
  ) {
    this.stdlib = stdlib;
  }

  importModule(name: string, level: number, from: Scope, interp: Interpreter): NamespaceValue | undefined {
    if (level === 0) {
      if (name === "torch" || name.startsWith("torch.")) return this.registered(name, this.torch.namespace(name));
      if (name === "einops" || name.startsWith("einops.")) {
        this.einops ??= new EinopsRuntime(this.torch.types, this.torch.moduleClass, this.torch.api, this.distributionVersion("einops") ?? latestEinopsVersion);
        return this.registered(name, this.einops.namespace(name));
      }
      const std = this.stdlib.get(name);
      if (std) {
        let ns = this.stdlibCache.get(name);
        if (!ns) this.stdlibCache.set(name, (ns = this.registered(name, name === "sys" ? this.withModuleRegistry(std()) : std())));
        return ns;
      }
      const roots = [packageRootOf(from.file), dirname(resolve(from.file)), ...this.searchPaths];
      for (const root of roots) {
        const found = findModuleFile(root, name);
        if (found) return this.load(found.file, name, found.isPackage, interp).namespace;
      }
      this.noteMissingPackage(name, roots, interp);
      return undefined;
    }
    // relative: `from . import x` is the package of the importing module
    const fromPackage = from.file.endsWith("__init__.py") ? dirname(from.file) : dirname(from.file);
    let dir = fromPackage;
    for (let i = 1; i < level; i++) dir = dirname(dir);
    const packageName = from.moduleName.split(".").slice(0, from.file.endsWith("__init__.py") ? undefined : -1);
    const base = packageName.slice(0, packageName.length - (level - 1)).join(".");
    if (!name) {
      const init = join(dir, "__init__.py");
      return this.load(init, base, true, interp).namespace;
    }
    const found = findModuleFile(dir, name);
    if (!found) return undefined;
    return this.load(found.file, base ? `${base}.${name}` : name, found.isPackage, interp).namespace;
  }

  moduleExists(name: string, from: Scope): boolean | undefined {
    if (name === "torch" || name.startsWith("torch.") || name === "einops" || name.startsWith("einops.") || this.stdlib.has(name)) return true;
    const roots = [packageRootOf(from.file), dirname(resolve(from.file)), ...this.searchPaths];
    return roots.some((root) => findModuleFile(root, name) !== undefined) ? true : undefined;
  }

  /** The version an installed distribution declares in its dist-info (or egg-info) on the search paths. */
  distributionVersion(name: string): string | undefined {
    if (name === "torch") return this.torch.version;
    // distribution names compare as PEP 503 normalises them (Foo_Bar is foo-bar)
    const normal = (n: string) => n.toLowerCase().replace(/[-_.]+/g, "-");
    for (const root of this.searchPaths) {
      let entries: string[];
      try {
        entries = listFolder(root);
      } catch {
        continue;
      }
      for (const entry of entries) {
        const m = /^(.+?)-([^-]+)\.(dist-info|egg-info)$/.exec(entry);
        if (!m || normal(m[1]) !== normal(name)) continue;
        const metadata = join(root, entry, m[3] === "dist-info" ? "METADATA" : "PKG-INFO");
        const declared = pathExists(metadata) ? /^Version:\s*(\S+)/m.exec(readTextFile(metadata))?.[1] : undefined;
        return declared ?? m[2];
      }
    }
    return undefined;
  }

  /** An import whose package is nowhere: named once, with how to point torchshape at the Python that has it. */
  private noteMissingPackage(name: string, roots: readonly string[], interp: Interpreter): void {
    const top = name.split(".")[0];
    // a missing submodule of a package that is there, or a standard-library module not modelled, is no missing package
    if (this.missingPackages.has(top) || this.advice.stdlibModules.has(top) || roots.some((root) => findModuleFile(root, top))) return;
    this.missingPackages.add(top);
    const where = this.advice.environment ? ` in the environment (${this.advice.environment})` : "";
    interp.note(`package '${top}' not found${where}: point torchshape at the Python that has it with --python, or add its folder with --search-path or [tool.torchshape] search-path`, undefined);
  }

  /** Load (once) and evaluate a file as a module; packages evaluate their __init__ only when a name is asked of them. */
  load(file: string, name: string, isPackage: boolean, interp: Interpreter, parsed?: PyModule): LoadedModule {
    const key = resolve(file);
    const cached = this.byFile.get(key);
    if (cached) return cached;
    const syntax = parsed ?? this.parseImported(file, name, interp);
    const scope = new Scope("module", undefined, key, name);
    scope.vars.set("__name__", { kind: "str", value: name });
    scope.vars.set("__file__", { kind: "str", value: key });
    scope.vars.set("__spec__", unknown("module specs are not modelled"));
    let executed = false;
    const execute = () => {
      if (executed) return;
      executed = true;
      this.execute(syntax, scope, interp);
    };
    const namespace: NamespaceValue = {
      kind: "namespace",
      name,
      get: (attr) => {
        if (isPackage && !executed) {
          // a submodule can be had without running the package's __init__, unless the __init__ binds that name itself
          const sub = findModuleFile(dirname(key), attr);
          if (sub && !scope.vars.has(attr) && !bindsAtTopLevel(syntax.body, attr)) return this.load(sub.file, `${name}.${attr}`, sub.isPackage, interp).namespace;
          execute();
        }
        // a module that put another object in its place in sys.modules (a lazy module) answers through it
        const replacement = executed ? this.replacementOf(name, namespace) : undefined;
        if (replacement) return attributeOrUndefined(interp, replacement, attr);
        const v = scope.vars.get(attr);
        if (v !== undefined) return v;
        if (isPackage) {
          const sub = findModuleFile(dirname(key), attr);
          if (sub) return this.load(sub.file, `${name}.${attr}`, sub.isPackage, interp).namespace;
        }
        return undefined;
      },
      set: (attr, value: Value) => void scope.vars.set(attr, value),
      attributeNames: () => {
        execute();
        return scope.vars.names();
      },
      publicNames: () => {
        execute();
        const all = scope.vars.get("__all__");
        if (all && (all.kind === "list" || all.kind === "tuple")) return all.items.map((i) => (i.kind === "str" ? i.value : "")).filter(Boolean);
        return scope.vars.names().filter((k) => !k.startsWith("_"));
      },
    };
    const loaded: LoadedModule = { name, file: key, scope, syntax, namespace };
    this.byFile.set(key, loaded);
    this.registered(name, namespace);
    if (!isPackage) execute();
    return loaded;
  }

  /** What sys.modules holds under a module's name when its body put something else there. */
  private replacementOf(name: string, ns: NamespaceValue): Value | undefined {
    const entry = this.sysModules.entries.get(hashKey(str(name)))?.value;
    return entry && entry !== ns ? entry : undefined;
  }

  /** A module entered in sys.modules under its dotted name (the first one loaded under a name keeps it). */
  private registered<T extends NamespaceValue | undefined>(name: string, ns: T): T {
    const key = str(name);
    if (ns && !this.sysModules.entries.has(hashKey(key))) this.sysModules.entries.set(hashKey(key), { key, value: ns });
    return ns;
  }

  /** The sys module with its registry of loaded modules. */
  private withModuleRegistry(sys: NamespaceValue): NamespaceValue {
    return { ...sys, get: (attr) => (attr === "modules" ? this.sysModules : sys.get(attr)) };
  }

  /** Run a module's top level; a failing statement is noted and the rest of the module still loads. */
  execute(syntax: PyModule, scope: Scope, interp: Interpreter): void {
    for (const stmt of syntax.body) {
      try {
        interp.execStmt(stmt, scope);
      } catch (e) {
        if (e instanceof BudgetExceeded) throw e;
        if (!(e instanceof PyException)) throw e;
        interp.note(`module-level statement at line ${stmt.span.line + 1} raised ${e.pyType}: ${e.pyMessage}`, { file: scope.file, span: stmt.span });
      }
    }
  }

  /** An imported file's syntax; a file that does not parse imports as empty, with a note. */
  private parseImported(file: string, name: string, interp: Interpreter): PyModule {
    if (!pathExists(file)) return { body: [], comments: new Map(), lineCount: 0 };
    try {
      // an imported module: its functions are converted when first called, its comments are not needed,
      // and tree-sitter's error nodes are the syntax errors looked for (the compiler's rules cost a walk of the whole tree)
      return cachedSyntax(resolve(file), "imported", () => parsePython(readTextFile(file), { deferFunctionBodies: true, comments: false, compileRules: false }));
    } catch (e) {
      if (!(e instanceof PythonSyntaxError)) throw e;
      interp.note(`module '${name}' (${file}) has a syntax error at line ${e.line + 1}; its names are unknown`, { file, span: { line: e.line, col: e.col, endLine: e.line, endCol: e.col } });
      return { body: [], comments: new Map(), lineCount: 0 };
    }
  }

  /** The file being analysed, already parsed, as a module named after its place in its package. */
  loadParsed(file: string, syntax: PyModule, interp: Interpreter): LoadedModule {
    const name = moduleNameFor(file, packageRootOf(file)) || "__main__";
    return this.load(file, name, false, interp, syntax);
  }
}
