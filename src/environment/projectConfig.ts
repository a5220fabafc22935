// [tool.torchshape] in the nearest pyproject.toml above a file: the project's
// interpreter, extra search paths, excluded paths and per-model inputs.
//
//   [tool.torchshape]
//   python = ".venv/bin/python"        # relative paths are from the pyproject.toml's folder
//   search-path = ["src", "third_party"]
//   exclude = ["experiments/old"]
//   [tool.torchshape.inputs]
//   Net = ["1,3,32,32"]                # one string per forward() argument
//   [tool.torchshape.budget]
//   Net = "params<=12M,flops<=4.2G"    # `check` warns when a model grows past it
import { dirname, isAbsolute, join, resolve } from "node:path";
import { isFolder, pathExists, readTextFile } from "../analysis/diskReads.js";
import { BudgetError, parseBudget } from "../compute/budget.js";
import { parseToml, TomlError, type TomlTable, type TomlValue } from "./toml.js";

export interface ProjectConfig {
  /** the pyproject.toml it came from */
  readonly file: string;
  readonly python?: string;
  readonly searchPaths: readonly string[];
  readonly exclude: readonly string[];
  /** model name (class, factory or call expression) → its forward() inputs, as written ("1,3,32,32") */
  readonly inputs: ReadonlyMap<string, readonly string[]>;
  /** model name (as for inputs) → its cost budget, as written ("params<=12M,flops<=4.2G") */
  readonly budgets: ReadonlyMap<string, string>;
}

/** A [tool.torchshape] that cannot be used: bad input, reported as one line (exit 2). */
export class ProjectConfigError extends Error {}

/** The first folder at or above a path (a file's folder for a file) that passes the test. */
function nearestFolder(path: string, test: (dir: string) => boolean): string | undefined {
  const start = resolve(path);
  let dir = isFolder(start) ? start : dirname(start);
  for (;;) {
    if (test(dir)) return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** The folder of the nearest pyproject.toml or .git at or above a path: the project's root. */
export function projectRootOf(path: string): string | undefined {
  return nearestFolder(path, (dir) => pathExists(join(dir, "pyproject.toml")) || pathExists(join(dir, ".git")));
}

/** The nearest pyproject.toml at or above a path. */
export function nearestPyproject(path: string): string | undefined {
  const dir = nearestFolder(path, (d) => pathExists(join(d, "pyproject.toml")));
  return dir ? join(dir, "pyproject.toml") : undefined;
}

function strings(v: TomlValue | undefined, key: string, file: string): string[] {
  if (v === undefined) return [];
  const items = Array.isArray(v) ? v : [v];
  return items.map((item) => {
    if (typeof item !== "string") throw new ProjectConfigError(`${file}: [tool.torchshape] ${key} must be a string or a list of strings`);
    return item;
  });
}

const knownKeys = new Set(["python", "search-path", "exclude", "inputs", "budget"]);

/** [tool.torchshape] of a pyproject.toml, or undefined when it has none. */
export function readProjectConfig(file: string): ProjectConfig | undefined {
  let tables: TomlTable;
  try {
    tables = parseToml(readTextFile(file), (path) => path[0] === "tool" && (path.length === 1 || path[1] === "torchshape"));
  } catch (e) {
    if (e instanceof TomlError) throw new ProjectConfigError(`${file}: ${e.message}`);
    throw new ProjectConfigError(`${file}: cannot read file`);
  }
  const tool = tables.tool;
  const section = typeof tool === "object" && !Array.isArray(tool) ? (tool as TomlTable).torchshape : undefined;
  if (section === undefined) return undefined;
  if (typeof section !== "object" || Array.isArray(section)) throw new ProjectConfigError(`${file}: tool.torchshape must be a table`);
  const table = section as TomlTable;
  const unknownKey = Object.keys(table).find((k) => !knownKeys.has(k));
  if (unknownKey) throw new ProjectConfigError(`${file}: [tool.torchshape] has no setting '${unknownKey}' (python, search-path, exclude, inputs, budget)`);
  const root = dirname(file);
  const fromRoot = (p: string) => (isAbsolute(p) ? p : resolve(root, p));
  const python = table.python;
  if (python !== undefined && typeof python !== "string") throw new ProjectConfigError(`${file}: [tool.torchshape] python must be a string`);
  const inputs = new Map<string, string[]>();
  const inputTable = table.inputs;
  if (inputTable !== undefined) {
    if (typeof inputTable !== "object" || Array.isArray(inputTable)) throw new ProjectConfigError(`${file}: [tool.torchshape.inputs] must be a table (Net = ["1,3,32,32"])`);
    for (const [model, shapes] of Object.entries(inputTable as TomlTable)) inputs.set(model, strings(shapes, `inputs.${model}`, file));
  }
  const budgets = new Map<string, string>();
  const budgetTable = table.budget;
  if (budgetTable !== undefined) {
    if (typeof budgetTable !== "object" || Array.isArray(budgetTable)) throw new ProjectConfigError(`${file}: [tool.torchshape.budget] must be a table (Net = "params<=12M,flops<=4.2G")`);
    for (const [model, text] of Object.entries(budgetTable as TomlTable)) {
      if (typeof text !== "string") throw new ProjectConfigError(`${file}: [tool.torchshape.budget] ${model} must be a string (e.g. "params<=12M,flops<=4.2G")`);
      try {
        parseBudget(text, "");
      } catch (e) {
        if (e instanceof BudgetError) throw new ProjectConfigError(`${file}: [tool.torchshape.budget] ${model}: ${e.message}`);
        throw e;
      }
      budgets.set(model, text);
    }
  }
  return {
    file,
    // a bare command name (python3) is looked up on PATH, a path is taken from the project root
    python: python === undefined ? undefined : /[\\/]/.test(python) ? fromRoot(python) : python,
    searchPaths: strings(table["search-path"], "search-path", file).map(fromRoot),
    exclude: strings(table.exclude, "exclude", file).map(fromRoot),
    inputs,
    budgets,
  };
}

/** [tool.torchshape] of the nearest pyproject.toml above a path. */
export function projectConfigFor(path: string): ProjectConfig | undefined {
  const file = nearestPyproject(path);
  return file ? readProjectConfig(file) : undefined;
}
