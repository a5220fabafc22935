// One file's evaluation session: the file parsed and its module run once, with
// the interpreter, torch runtime and import loader every model of the file shares.
import { resolve } from "node:path";
import { createBuiltins } from "../eval/builtins.js";
import { BudgetExceeded } from "../eval/errors.js";
import { defaultInterpreterOptions, Interpreter, type InterpreterOptions } from "../eval/interpreter.js";
import { memoryInUse } from "../eval/memoryMeter.js";
import { standardLibrary } from "../eval/stdlib.js";
import type { ClassValue } from "../eval/values.js";
import type { ClassDef, PyModule } from "../parse/ast.js";
import { PythonSyntaxError } from "../parse/parser.js";
import { NestedTooDeeply } from "../parse/toAst.js";
import type { EditedDocument } from "../parse/editedDocument.js";
import { ReadingDeadlinePassed } from "../parse/readingDeadline.js";
import { TorchRuntime } from "../torch/runtime.js";
import { latestTorchVersion, TorchApi } from "../torch/torchApi.js";
import { torchTensorSemantics } from "../torch/tensorSemantics.js";
import { Message } from "../diagnostics/messages.js";
import { diagnosticsOf } from "../torch/ruleContext.js";
import { AnnotationChecker } from "./annotationChecks.js";
import { fileCommentsOf } from "./fileComments.js";
import { ModuleLoader, type LoadedModule } from "./imports.js";
import { sourceTextLookup, type SourceTextLookup } from "./sourceTexts.js";
import { moduleClassCandidates, type ClassCandidate } from "./classCandidates.js";
import { cachedSyntax } from "./syntaxCache.js";
import { readEditedText } from "./editedText.js";
import { describeEnvironment, type Environment } from "../environment/discover.js";
import { AnalysisInputError, maxFileBytes, placeText, readSourceText } from "./sourceFile.js";

export { AnalysisInputError, maxFileBytes } from "./sourceFile.js";

export interface SessionOptions {
  /** extra folders to resolve absolute imports from (site-packages for torchvision) */
  readonly searchPaths?: readonly string[];
  /**
   * the user's Python environment (findEnvironment): its site-packages resolve imports
   * after the file's folder and searchPaths, and one note says which it was
   */
  readonly environment?: Environment;
  /**
   * the torch version to model (which names and arguments exist, torch.__version__);
   * default: the environment's torch, else the latest stable release (latestTorchVersion)
   */
  readonly torchVersion?: string;
  /** the file's text when it differs from disk (an editor buffer) */
  readonly source?: string;
  /** an editor's buffer: what its previous analysis left, to parse, check and convert only what an edit changed (the language server keeps one per document) */
  readonly editedDocument?: EditedDocument;
  readonly interpreter?: Partial<InterpreterOptions>;
}

export interface Session {
  readonly interp: Interpreter;
  /** layer calls the file's forward passes recorded so far (tracer.ts: maxRecordedCallsPerFile) */
  readonly layerCalls: { recorded: number };
  readonly torch: TorchRuntime;
  readonly main: LoadedModule;
  readonly candidates: readonly ClassCandidate[];
  readonly sourceText: SourceTextLookup;
  readonly loader: ModuleLoader;
}

export function startSession(file: string, options: SessionOptions): Session {
  const started = Date.now();
  // one memory budget for the file too: what reading it takes counts
  const memoryAtStart = memoryInUse();
  // one time budget for the file: parsing counts in it, and stops at its end
  const budget = { ...defaultInterpreterOptions, ...options.interpreter };
  const source = options.source ?? readSourceText(file);
  if (options.source !== undefined && options.source.length > maxFileBytes) throw new AnalysisInputError(`${file}: file is too large`);
  let syntax: PyModule;
  try {
    // reading the file counts in its time budget: parsing, the compiler's rules and converting each stop at its end
    const deadline = started + budget.timeLimitMs;
    const convert = () => readEditedText(source, deadline, options.editedDocument);
    // an editor's buffer is not the file on disk
    syntax = options.source === undefined ? cachedSyntax(resolve(file), "analysed", convert) : convert();
  } catch (e) {
    if (e instanceof NestedTooDeeply) throw new AnalysisInputError(`${file}: ${e.message}`);
    if (e instanceof ReadingDeadlinePassed) throw new AnalysisInputError(`${file}: reading the file alone took longer than the time budget of ${budget.timeLimitMs} ms`);
    if (e instanceof PythonSyntaxError) throw new AnalysisInputError(`${placeText(file, file, e.line, e.col)}: syntax error: ${e.message}`);
    throw e;
  }
  const { scope: builtins, types } = createBuiltins();
  const torchVersion = options.torchVersion ?? options.environment?.torchVersion ?? latestTorchVersion;
  const torch = new TorchRuntime(types, new TorchApi(torchVersion));
  const loaderRef: { loader?: ModuleLoader } = {};
  // one time budget for the file: what parsing used is gone from the evaluation's share
  const remaining = budget.timeLimitMs - (Date.now() - started);
  if (remaining <= 0) throw new AnalysisInputError(`${file}: reading the file alone took longer than the time budget of ${budget.timeLimitMs} ms`);
  const interp = new Interpreter(builtins, torchTensorSemantics, { importModule: (n, l, f, i) => loaderRef.loader!.importModule(n, l, f, i), moduleExists: (n, f) => loaderRef.loader!.moduleExists(n, f), distributionVersion: (n) => loaderRef.loader!.distributionVersion(n) }, { ...budget, timeLimitMs: remaining });
  interp.countMemoryFrom(memoryAtStart);
  const environment = options.environment;
  if (environment) interp.note(`${describeEnvironment(environment)}${options.torchVersion ? `; torch ${options.torchVersion} modelled as asked` : ""}`, undefined);
  const searchPaths = [...(options.searchPaths ?? []), ...(environment?.config?.searchPaths ?? []), ...(environment?.sitePaths ?? [])];
  const advice = environment ? { environment: environment.interpreter ? `${environment.how} ${environment.interpreter}` : environment.how, stdlibModules: environment.stdlibModules } : undefined;
  const loader = new ModuleLoader(torch, standardLibrary(types), searchPaths, advice);
  loaderRef.loader = loader;
  // shape annotations of the checked file are checked wherever its functions run
  interp.functionObserver = new AnnotationChecker(interp, resolve(file), syntax);
  let main: LoadedModule;
  try {
    main = loader.loadParsed(resolve(file), syntax, interp);
  } catch (e) {
    if (e instanceof BudgetExceeded) throw new AnalysisInputError(`${file}: analysis stopped while loading the module: ${e.message}`);
    throw e;
  }
  reportUnreadableComments(interp, main.file, syntax, source);
  return { interp, torch, main, candidates: moduleClassCandidates(syntax), sourceText: sourceTextLookup(resolve(file), source), loader, layerCalls: { recorded: 0 } };
}

/** A `# torchshape:` comment with a typo is a warning on its line; the rest of the file is analysed as if it were not there. */
function reportUnreadableComments(interp: Interpreter, file: string, syntax: PyModule, source: string): void {
  const unreadable = fileCommentsOf(syntax).unreadable;
  if (unreadable.length === 0) return;
  const lines = source.split("\n");
  for (const { line, reason } of unreadable) {
    const text = lines[line] ?? "";
    const col = Math.max(0, text.indexOf("#"));
    const message = Message.unreadableComment({ reason });
    const span = { line, col, endLine: line, endCol: text.replace(/\r$/, "").length };
    diagnosticsOf(interp).push({ severity: "warning", code: message.code, message: message.text, location: { file, span }, related: [] });
  }
}

/** Module classes defined in the file itself, in source order. */
export function moduleClassesOf(session: Session): { cls: ClassValue; def: ClassDef }[] {
  const out: { cls: ClassValue; def: ClassDef }[] = [];
  for (const candidate of session.candidates) {
    const stmt = session.main.syntax.body.find((s): s is ClassDef => s.kind === "class" && s.name === candidate.name && s.span.line === candidate.line);
    const v = session.main.scope.vars.get(candidate.name);
    if (stmt && v?.kind === "class" && v.mro.includes(session.torch.moduleClass) && v.location?.file === session.main.file) out.push({ cls: v, def: stmt });
  }
  return out;
}

