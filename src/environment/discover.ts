// The user's Python environment, found the way pyright finds it: --python, then
// [tool.torchshape] python, then an active virtual or conda environment, then a
// .venv/venv folder at the project root, then the python3 on PATH. Found once per
// project and passed to the analysis as an input; the evaluator never looks.
import { delimiter, isAbsolute, join, resolve } from "node:path";
import { isExecutableFile, isFolder } from "../analysis/diskReads.js";
import { hasTorch, usualSitePackages } from "./fallbackSitePackages.js";
import { projectConfigFor, projectRootOf, type ProjectConfig } from "./projectConfig.js";
import { interpreterFacts, type InterpreterFacts } from "./sysPath.js";
import { readTorchVersion } from "./torchVersion.js";

export interface Environment {
  /** how the interpreter was found: "--python", "VIRTUAL_ENV", "python3 on PATH", ... */
  readonly how: string;
  readonly interpreter?: string;
  /** the interpreter's import folders (sys.path without the standard library), then fallbacks */
  readonly sitePaths: readonly string[];
  /** the part of sitePaths taken from the usual places because the interpreter has no torch */
  readonly fallbackPaths: readonly string[];
  /** why the interpreter gave no sys.path, when it did not */
  readonly problem?: string;
  /** standard-library module names, when the interpreter told them */
  readonly stdlibModules: ReadonlySet<string>;
  /** [tool.torchshape] of the project, when it has one */
  readonly config?: ProjectConfig;
  /** torch.__version__ of the environment's torch (its version.py, read as text) */
  readonly torchVersion?: string;
}

/** Bad input: an interpreter the user named that does not exist. */
export class EnvironmentError extends Error {}

export interface DiscoveryOptions {
  /** --python: an interpreter, or a virtual environment's folder */
  readonly python?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly cacheDir?: string;
  /** the usual site-packages places holding torch (tests give their own) */
  readonly usualPlaces?: () => readonly string[];
}

/** The interpreter of a virtual environment's folder. */
function interpreterIn(prefix: string): string | undefined {
  return ["bin/python", "bin/python3", "Scripts/python.exe", "python.exe"].map((p) => join(prefix, p)).find(isExecutableFile);
}

/** A command name looked up on PATH, as the shell would. */
export function onPath(command: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** An interpreter named by the user: a file, a venv folder, or a command on PATH. */
function namedInterpreter(python: string, env: NodeJS.ProcessEnv, from: string): string {
  if (!/[\\/]/.test(python)) {
    const found = onPath(python, env);
    if (!found) throw new EnvironmentError(`${from} '${python}' is not on PATH`);
    return found;
  }
  const p = isAbsolute(python) ? python : resolve(python);
  if (isFolder(p)) {
    const inside = interpreterIn(p);
    if (!inside) throw new EnvironmentError(`${from} '${python}' is a folder without bin/python`);
    return inside;
  }
  if (!isExecutableFile(p)) throw new EnvironmentError(`${from} '${python}' is not an executable file`);
  return p;
}

/** Which interpreter, and how it was found; undefined when there is none. */
function chooseInterpreter(file: string, config: ProjectConfig | undefined, options: DiscoveryOptions, env: NodeJS.ProcessEnv): { interpreter: string; how: string } | undefined {
  if (options.python) return { interpreter: namedInterpreter(options.python, env, "--python"), how: "--python" };
  if (config?.python) return { interpreter: namedInterpreter(config.python, env, `${config.file}: [tool.torchshape] python`), how: "[tool.torchshape] python" };
  for (const variable of ["VIRTUAL_ENV", "CONDA_PREFIX"]) {
    const prefix = env[variable];
    const interpreter = prefix ? interpreterIn(prefix) : undefined;
    if (interpreter) return { interpreter, how: variable };
  }
  const root = projectRootOf(file);
  for (const name of [".venv", "venv"]) {
    const interpreter = root ? interpreterIn(join(root, name)) : undefined;
    if (interpreter) return { interpreter, how: `${name} at the project root` };
  }
  const onPathPython = onPath("python3", env) ?? onPath("python", env);
  return onPathPython ? { interpreter: onPathPython, how: "python3 on PATH" } : undefined;
}

/** sys.path without the standard library, the working folder and what does not exist. */
function importFolders(facts: InterpreterFacts): string[] {
  const stdlib = facts.stdlib.filter(Boolean).map((s) => resolve(s));
  const inStdlib = (p: string) => stdlib.some((s) => p === s || p.startsWith(`${s}/`)) && !/[\\/](site|dist)-packages([\\/]|$)/.test(p);
  return [...new Set(facts.sysPath.filter((p) => p !== "" && isAbsolute(p)).map((p) => resolve(p)))].filter((p) => !inStdlib(p) && isFolder(p));
}

const memo = new Map<string, Environment>();

/** The environment for analysing a file (memoised per project and options within a process). */
export function findEnvironment(file: string, options: DiscoveryOptions = {}): Environment {
  const env = options.env ?? process.env;
  const config = projectConfigFor(file);
  const key = JSON.stringify([projectRootOf(file) ?? "", config?.file, options.python, options.cacheDir, env.VIRTUAL_ENV, env.CONDA_PREFIX, env.PATH, env.PYTHONPATH, !!options.usualPlaces]);
  const known = memo.get(key);
  if (known) return known;
  const chosen = chooseInterpreter(file, config, options, env);
  let sitePaths: string[] = [];
  let problem: string | undefined;
  let stdlibModules = new Set<string>();
  if (chosen) {
    const answer = interpreterFacts(chosen.interpreter, { cacheDir: options.cacheDir, env });
    if ("facts" in answer) {
      sitePaths = importFolders(answer.facts);
      stdlibModules = new Set(answer.facts.stdlibModules);
    } else problem = answer.problem;
  }
  const fallbackPaths = sitePaths.some(hasTorch) ? [] : (options.usualPlaces ?? usualSitePackages)().filter((p) => !sitePaths.includes(p));
  const found = { how: chosen?.how ?? "no interpreter found", interpreter: chosen?.interpreter, sitePaths: [...sitePaths, ...fallbackPaths], fallbackPaths, problem, stdlibModules, config };
  const torch = torchFolderOf(found);
  const environment: Environment = { ...found, torchVersion: torch ? readTorchVersion(torch) : undefined };
  memo.set(key, environment);
  return environment;
}

/** An environment with nothing in it: what an analysis without discovery sees. */
export const noEnvironment: Environment = { how: "none", sitePaths: [], fallbackPaths: [], stdlibModules: new Set() };

/** The folder holding torch in the environment, if any. */
export function torchFolderOf(environment: Environment): string | undefined {
  const dir = environment.sitePaths.find(hasTorch);
  return dir ? join(dir, "torch") : undefined;
}

/** One line saying which environment the analysis used. */
export function describeEnvironment(environment: Environment): string {
  const torch = torchFolderOf(environment);
  const parts: string[] = [];
  if (environment.interpreter) parts.push(`${environment.how} (${environment.interpreter})`);
  else parts.push(environment.how === "none" ? "no Python environment" : environment.how);
  if (environment.problem) parts.push(`gave no sys.path: ${environment.problem}`);
  if (environment.fallbackPaths.length > 0) parts.push(`${environment.interpreter && !environment.problem ? "has no torch, so " : ""}installed packages from ${environment.fallbackPaths.join(", ")}`);
  parts.push(torch ? `torch ${environment.torchVersion ?? "(version unknown)"} in ${torch}` : "no torch installed");
  return `environment: ${parts.join("; ")}`;
}
