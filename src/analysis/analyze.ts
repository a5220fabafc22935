// The pipeline for one file: parse, evaluate the module, build each model with
// real argument values, walk forward with abstract tensors, and collect rows,
// totals, diagnostics and notes.
import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { createBuiltins } from "../eval/builtins.js";
import { BudgetExceeded, PyException } from "../eval/errors.js";
import { defaultInterpreterOptions, Interpreter, type InterpreterOptions } from "../eval/interpreter.js";
import { Scope } from "../eval/scope.js";
import { standardLibrary } from "../eval/stdlib.js";
import type { ClassValue, ObjectValue, SourceLocation, Value } from "../eval/values.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { ClassDef, PyModule } from "../parse/ast.js";
import { parsePython, parseTree, PythonSyntaxError } from "../parse/parser.js";
import { moduleClassCandidates, type ClassCandidate } from "../parse/queries.js";
import { convertModule, firstSyntaxError } from "../parse/toAst.js";
import { dimProduct } from "../shapes/dim.js";
import { formatShape } from "../shapes/shape.js";
import { dtypeSize, makeTensor, type Tensor } from "../shapes/tensor.js";
import { InputShapeNeeded, LayerArgumentError } from "../layers/rule.js";
import { Clause, Message, Related } from "../diagnostics/messages.js";
import { callModule, moduleParameters, namedModules, setModuleCallObserver } from "../torch/module.js";
import { diagnosticsOf, setMessageFacts } from "../torch/ruleContext.js";
import { TorchRuntime } from "../torch/runtime.js";
import { torchTensorSemantics } from "../torch/tensorSemantics.js";
import { ModuleLoader, type LoadedModule } from "./imports.js";
import { commentFor, inputsFromCalls } from "./inputsInFile.js";
import type { AnalysisResult, InputSpec, LayerRow, ModelSummary } from "./summary.js";
import { ForwardTracer, reportedShapeOf } from "./tracer.js";
import { sourceTextLookup, type SourceTextLookup } from "./sourceTexts.js";

/** Bad input: a one-line message for the user, exit code 2. */
export class AnalysisInputError extends Error {}

export interface AnalyzeOptions {
  /** a class or factory name, or a Python call: "resnet18(num_classes=10)" */
  readonly model?: string;
  readonly inputs?: readonly InputSpec[];
  /** inputs for models whose file gives none (no comment, no call): an editor's settings */
  readonly defaultInputs?: readonly InputSpec[];
  /** extra folders to resolve absolute imports from (site-packages for torchvision) */
  readonly searchPaths?: readonly string[];
  /** the file's text when it differs from disk (an editor buffer) */
  readonly source?: string;
  readonly interpreter?: Partial<InterpreterOptions>;
  /** a file without nn.Module classes is an empty result, not an error (check walks whole trees) */
  readonly allowNoModels?: boolean;
}

export const maxFileBytes = 2_000_000;

function readSource(file: string): string {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new AnalysisInputError(`${file}: cannot read file`);
  }
  if (size > maxFileBytes) throw new AnalysisInputError(`${file}: file is too large (${size} bytes; limit ${maxFileBytes})`);
  const buf = readFileSync(file);
  if (buf.includes(0)) throw new AnalysisInputError(`${file}: binary file, not Python source`);
  return buf.toString("utf8");
}

interface Session {
  readonly interp: Interpreter;
  readonly torch: TorchRuntime;
  readonly main: LoadedModule;
  readonly candidates: readonly ClassCandidate[];
  readonly sourceText: SourceTextLookup;
}

function startSession(file: string, options: AnalyzeOptions): Session {
  const started = Date.now();
  const source = options.source ?? readSource(file);
  if (options.source !== undefined && options.source.length > maxFileBytes) throw new AnalysisInputError(`${file}: file is too large`);
  let syntax: PyModule;
  let candidates: ClassCandidate[];
  try {
    const tree = parseTree(source);
    const error = firstSyntaxError(tree.rootNode);
    if (error) throw new PythonSyntaxError(error.text ? `invalid syntax near '${error.text}'` : "invalid syntax", error.line, error.col);
    syntax = convertModule(tree.rootNode);
    candidates = moduleClassCandidates(tree.rootNode);
  } catch (e) {
    if (e instanceof PythonSyntaxError) throw new AnalysisInputError(`${file}:${e.line + 1}:${e.col + 1}: syntax error: ${e.message}`);
    throw e;
  }
  const { scope: builtins, types } = createBuiltins();
  const torch = new TorchRuntime(types);
  const loaderRef: { loader?: ModuleLoader } = {};
  // one time budget for the file: what parsing used is gone from the evaluation's share
  const budget = { ...defaultInterpreterOptions, ...options.interpreter };
  const remaining = budget.timeLimitMs - (Date.now() - started);
  if (remaining <= 0) throw new AnalysisInputError(`${file}: reading the file alone took longer than the time budget of ${budget.timeLimitMs} ms`);
  const interp = new Interpreter(builtins, torchTensorSemantics, { importModule: (n, l, f, i) => loaderRef.loader!.importModule(n, l, f, i) }, { ...budget, timeLimitMs: remaining });
  const loader = new ModuleLoader(torch, standardLibrary(types), options.searchPaths ?? []);
  loaderRef.loader = loader;
  let main: LoadedModule;
  try {
    main = loader.loadParsed(resolve(file), syntax, interp);
  } catch (e) {
    if (e instanceof BudgetExceeded) throw new AnalysisInputError(`${file}: analysis stopped while loading the module: ${e.message}`);
    throw e;
  }
  return { interp, torch, main, candidates, sourceText: sourceTextLookup(resolve(file), source) };
}

/** Module classes defined in the file itself, in source order. */
function moduleClassesOf(session: Session): { cls: ClassValue; def: ClassDef }[] {
  const out: { cls: ClassValue; def: ClassDef }[] = [];
  for (const candidate of session.candidates) {
    const stmt = session.main.syntax.body.find((s): s is ClassDef => s.kind === "class" && s.name === candidate.name && s.span.line === candidate.line);
    const v = session.main.scope.vars.get(candidate.name);
    if (stmt && v?.kind === "class" && v.mro.includes(session.torch.moduleClass) && v.location?.file === session.main.file) out.push({ cls: v, def: stmt });
  }
  return out;
}

export function analyzeFile(file: string, options: AnalyzeOptions = {}): AnalysisResult {
  const session = startSession(file, options);
  const { interp, main } = session;
  const models: ModelSummary[] = [];
  const diagnostics = diagnosticsOf(interp);
  const classes = moduleClassesOf(session);

  if (options.model) {
    const { value, line } = evaluateModelExpression(session, options.model);
    const className = value.kind === "object" ? value.cls.name : options.model;
    const def = classes.find((c) => c.cls.name === className)?.def;
    const comment = def ? commentFor(main.syntax, def) : undefined;
    const inputs = pickInputs(options, comment?.inputs, def ? inputsFromCalls(main.syntax, def.name) : undefined);
    models.push(runModel(session, options.model, value, line, inputs));
  } else {
    if (classes.length === 0 && !options.allowNoModels) throw new AnalysisInputError(`${file}: no nn.Module class found`);
    for (const { cls, def } of classes) {
      const comment = commentFor(main.syntax, def);
      const before = diagnostics.length;
      let built: Value;
      try {
        built = comment?.model ? evaluateModelExpression(session, comment.model).value : interp.instantiate(cls, [], new Map(), { file: main.file, span: def.span });
      } catch (e) {
        if (e instanceof PyException && e.pyType === "TypeError" && /missing required argument/.test(e.pyMessage)) {
          interp.note(`${cls.name} needs constructor arguments; not summarised (use --model "${cls.name}(...)")`, { file: main.file, span: def.nameSpan });
          diagnostics.length = before;
          continue;
        }
        if (e instanceof PyException || e instanceof BudgetExceeded) {
          diagnostics.push(buildErrorDiagnostic(e, { file: main.file, span: def.nameSpan }, cls.name));
          continue;
        }
        throw e;
      }
      const inputs = pickInputs(options, comment?.inputs, inputsFromCalls(main.syntax, def.name));
        const rebuild = () => (comment?.model ? evaluateModelExpression(session, comment.model).value : interp.instantiate(cls, [], new Map(), { file: main.file, span: def.span }));
      models.push(runModel(session, cls.name, built, def.span.line + 1, inputs, rebuild));
    }
  }
  return { files: [file], models, diagnostics, notes: interp.notes };
}

function pickInputs(options: AnalyzeOptions, fromComment: InputSpec[] | undefined, fromCalls: { inputs: InputSpec[]; source: string } | undefined): { inputs: InputSpec[] | undefined; source: string } {
  if (options.inputs && options.inputs.length > 0) return { inputs: [...options.inputs], source: "option" };
  if (fromComment && fromComment.length > 0) return { inputs: fromComment, source: "comment" };
  if (fromCalls) return fromCalls;
  if (options.defaultInputs && options.defaultInputs.length > 0) return { inputs: [...options.defaultInputs], source: "default" };
  return { inputs: undefined, source: "symbolic" };
}

function evaluateModelExpression(session: Session, expression: string): { value: Value; line: number } {
  const { interp, main } = session;
  let syntax: PyModule;
  try {
    syntax = parsePython(expression);
  } catch {
    throw new AnalysisInputError(`--model '${expression}' is not a Python expression`);
  }
  const stmt = syntax.body[0];
  if (syntax.body.length !== 1 || stmt.kind !== "expr") throw new AnalysisInputError(`--model '${expression}' is not a Python expression`);
  const scope = new Scope("function", main.scope, main.file, main.scope.moduleName);
  let value: Value;
  try {
    value = interp.evalExpr(stmt.value, scope);
    if (value.kind === "class" || value.kind === "function") value = interp.callValue(value, [], new Map(), undefined);
  } catch (e) {
    if (e instanceof PyException) {
      if (e.pyType === "NameError") throw new AnalysisInputError(`--model '${expression}': ${e.pyMessage} in ${main.file}`);
      throw new AnalysisInputError(`--model '${expression}' raised ${e.pyType}: ${e.pyMessage}`);
    }
    if (e instanceof BudgetExceeded) throw new AnalysisInputError(`--model '${expression}': ${e.message}`);
    throw e;
  }
  if (value.kind !== "object" || !value.module) throw new AnalysisInputError(`--model '${expression}' does not build an nn.Module`);
  const line = value.cls.location ? value.cls.location.span.line + 1 : 1;
  return { value, line };
}

/**
 * A model that could not be built or run to the end. Only a torch layer rejecting
 * its arguments is certain to fail in PyTorch too (an error); anything else may be
 * a limit of the analysis, so it is a warning that the model was not fully checked.
 */
function buildErrorDiagnostic(e: PyException | BudgetExceeded, fallback: SourceLocation, model: string): Diagnostic {
  if (e instanceof BudgetExceeded) {
    const message = Message.analysisLimit({ model, reason: e.message });
    return { severity: "warning", code: message.code, message: message.text, location: fallback, related: [], model };
  }
  const message = Message.buildError({ model, type: e.pyType, detail: e.pyMessage });
  const certain = e instanceof LayerArgumentError;
  const raisedHere = e.location && e.location.file === fallback.file;
  const location = (certain || raisedHere) && e.location ? e.location : fallback;
  const related = e.location && location !== e.location ? [{ location: e.location, message: Related.raisedHere({ type: e.pyType }) }] : [];
  return { severity: certain ? "error" : "warning", code: message.code, message: message.text, location, related, model };
}

/** Placeholder tensors for the required forward() parameters, when no input is known. */
function placeholderInputs(session: Session, model: ObjectValue): Tensor[] {
  const forward = session.interp.getAttr(model, "forward");
  const fn = forward.kind === "boundmethod" && forward.func.kind === "function" ? forward.func : undefined;
  const params = fn ? fn.params.slice(1).filter((p) => (p.kind === "normal" || p.kind === "posonly") && !p.default) : [{ name: "input" }];
  return params.map(() => makeTensor(undefined, "float32", { placeholder: true, unknownReason: "no input shape given" }));
}

/** One forward pass of a model: what it produced and what it reported. */
interface ForwardRun {
  readonly model: ObjectValue;
  readonly inputs: readonly Tensor[];
  readonly output: Value;
  readonly tracer: ForwardTracer;
  readonly assignments: ModelSummary["assignments"][number][];
  readonly incomplete?: string;
  readonly diagnostics: Diagnostic[];
  /** inputs whose shape a layer guessed, with the other shapes it takes */
  readonly guesses: readonly { readonly index: number; readonly alternatives: readonly InputSpec[] }[];
}

/**
 * Walk forward once. A model input with no known shape is given the shape the
 * first layer that receives it wants (a guess, retried from the start). The
 * diagnostics of the pass are taken out of the sink and returned.
 */
function forwardRun(session: Session, name: string, model: ObjectValue, line: number, initial: readonly Tensor[]): ForwardRun {
  const { interp, main } = session;
  const sink = diagnosticsOf(interp);
  const firstDiagnostic = sink.length;
  let inputs = [...initial];
  const guesses: { index: number; alternatives: InputSpec[] }[] = [];
  const moduleNames = new Map(namedModules(model).map(([n, m]) => [m, n] as const));
  setMessageFacts(interp, { moduleName: (m) => moduleNames.get(m) || undefined, sourceText: session.sourceText, get inputs() { return inputs; } });
  let tracer = new ForwardTracer(session.torch);
  let output: Value = { kind: "unknown", why: "forward did not run" };
  let incomplete: string | undefined;
  let assignments: ModelSummary["assignments"][number][] = [];
  for (let attempt = 0; attempt < 8; attempt++) {
    tracer = new ForwardTracer(session.torch);
    setModuleCallObserver(interp, tracer);
    assignments = [];
    const recorded = assignments;
    interp.onAssign = (assigned, value, location) => {
      if (value.kind === "tensor" || value.kind === "tuple") recorded.push({ name: assigned, location, shape: reportedShapeOf(value) });
    };
    try {
      output = callModule(model, inputs, new Map(), interp);
      break;
    } catch (e) {
      if (e instanceof InputShapeNeeded) {
        const i = inputs.findIndex((t) => t.placeholder);
        inputs = inputs.map((t, k) => (k === i ? makeTensor(e.shape, e.dtype) : t));
        if (e.alternatives.length > 0) guesses.push({ index: i, alternatives: e.alternatives.map((shape) => ({ shape, dtype: e.dtype })) });
        sink.length = firstDiagnostic;
        continue;
      }
      if (e instanceof PyException) {
        incomplete = `forward raised ${e.pyType}: ${e.pyMessage}`;
        interp.note(`${name}: ${incomplete}`, e.location ?? interp.site);
        break;
      }
      if (e instanceof BudgetExceeded) {
        incomplete = e.message;
        sink.push(buildErrorDiagnostic(e, { file: main.file, span: { line: line - 1, col: 0, endLine: line - 1, endCol: 0 } }, name));
        break;
      }
      throw e;
    } finally {
      setModuleCallObserver(interp, undefined);
      interp.onAssign = undefined;
    }
  }
  setMessageFacts(interp, undefined);
  const diagnostics = sink.splice(firstDiagnostic);
  for (const d of diagnostics) d.model ??= name;
  return { model, inputs, output, tracer, assignments, incomplete, diagnostics, guesses };
}

function errorKeys(run: ForwardRun): Set<string> {
  return new Set(run.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code}@${d.location.file}:${d.location.span.line}`));
}

/**
 * A guessed input rank must not make an error: when the guess leads to errors,
 * the other ranks the first layer takes are tried on a freshly built model. A
 * rank with no error wins; otherwise only errors that every rank gives stay
 * errors, and the others become warnings that say the input was a guess.
 */
function settleGuessedInputs(session: Session, name: string, line: number, first: ForwardRun, rebuild: (() => Value) | undefined): ForwardRun {
  const guess = first.guesses[0];
  if (!rebuild || !guess || errorKeys(first).size === 0) return first;
  const alternatives: ForwardRun[] = [];
  for (const spec of guess.alternatives.slice(0, 3)) {
    let fresh: Value;
    try {
      fresh = rebuild();
    } catch {
      break;
    }
    if (fresh.kind !== "object" || !fresh.module) break;
    const inputs = first.inputs.map((t, k) => (k === guess.index ? makeTensor(spec.shape, spec.dtype) : k > guess.index && first.guesses.some((g) => g.index === k) ? makeTensor(undefined, t.dtype, { placeholder: true, unknownReason: "no input shape given" }) : t));
    const run = forwardRun(session, name, fresh, line, inputs);
    if (errorKeys(run).size === 0) return run;
    alternatives.push(run);
  }
  const everywhere = alternatives.reduce((keys, run) => new Set([...keys].filter((k) => errorKeys(run).has(k))), errorKeys(first));
  const guessed = first.inputs[guess.index]?.shape;
  for (const d of first.diagnostics) {
    if (d.severity !== "error" || everywhere.has(`${d.code}@${d.location.file}:${d.location.span.line}`)) continue;
    d.severity = "warning";
    d.message = `${d.message}; ${Clause.guessedInput({ shape: guessed ? formatShape(guessed) : "unknown" })}`;
  }
  return first;
}

function runModel(session: Session, name: string, built: Value, line: number, picked: { inputs: InputSpec[] | undefined; source: string }, rebuild?: () => Value): ModelSummary {
  const { interp, main } = session;
  if (built.kind !== "object" || !built.module) throw new AnalysisInputError(`${name} is not an nn.Module`);
  const initial: Tensor[] = picked.inputs ? picked.inputs.map((s) => makeTensor(s.shape, s.dtype)) : placeholderInputs(session, built);
  const run = settleGuessedInputs(session, name, line, forwardRun(session, name, built, line, initial), picked.inputs ? undefined : rebuild);
  diagnosticsOf(interp).push(...run.diagnostics);
  const { model, inputs, output, tracer, assignments, incomplete } = run;

  const names = new Map(namedModules(model).map(([n, m]) => [m, n] as const));
  // a module called many times, and every module of the tree, is counted once
  const countsByModule = new Map<ObjectValue, ReturnType<typeof countParams>>();
  const countsOf = (m: ObjectValue) => {
    let c = countsByModule.get(m);
    if (!c) countsByModule.set(m, (c = countParams(moduleParameters(m).map(([, p]) => p))));
    return c;
  };
  const layers: LayerRow[] = tracer.calls.map((c) => {
    const rowName = names.get(c.module) ?? c.module.cls.name;
    const counts = countsOf(c.module);
    return {
      name: rowName,
      type: c.type,
      params: counts.total,
      trainableParams: counts.trainable,
      inputShape: c.inputShape,
      outputShape: c.outputShape,
      definedAt: c.module.module?.createdAt,
      calledAt: c.calledAt,
      depth: rowName === "" ? 0 : rowName.split(".").length,
    };
  });
  const modules = [...names].map(([m, n]) => ({ name: n, type: m.cls.name, params: countsOf(m).total }));
  const counts = countsOf(model);
  return {
    name,
    file: main.file,
    line,
    inputs: inputs.map((t) => ({ shape: t.shape ?? [], dtype: t.dtype, ...(t.shape ? {} : { unknown: true }) })),
    inputSource: inputs.some((t) => t.placeholder) ? "unknown" : picked.source,
    layers,
    assignments,
    modules,
    outputShape: reportedShapeOf(output),
    totalParams: counts.total,
    trainableParams: counts.trainable,
    paramBytes: counts.bytes,
    incomplete,
  };
}

function countParams(params: readonly Tensor[]): { total: number | undefined; trainable: number | undefined; bytes: number | undefined } {
  let total = 0;
  let trainable = 0;
  let bytes = 0;
  for (const p of params) {
    if (!p.shape) return { total: undefined, trainable: undefined, bytes: undefined };
    const n = dimProduct(p.shape);
    if (typeof n !== "number") return { total: undefined, trainable: undefined, bytes: undefined };
    total += n;
    if (p.requiresGrad) trainable += n;
    bytes += n * dtypeSize(p.dtype);
  }
  return { total, trainable, bytes };
}

