// The pipeline for one file: parse, evaluate the module, build each model with
// real argument values, walk forward with abstract tensors, and collect rows,
// totals, diagnostics and notes.
import { relative, resolve } from "node:path";
import { pythonBuiltinNames } from "../eval/builtins.js";
import { BudgetExceeded, PyException } from "../eval/errors.js";
import { Scope } from "../eval/scope.js";
import { forceValue, list, type ClassValue, type ObjectValue, type SourceLocation, type Value } from "../eval/values.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { ClassDef } from "../parse/ast.js";
import { parseExpressionText } from "../parse/parser.js";
import { dimProduct, resetDataDependentDims } from "../shapes/dim.js";
import { formatShape } from "../shapes/shape.js";
import { dtypeSize, makeTensor, type Tensor } from "../shapes/tensor.js";
import { InputShapeNeeded, LayerArgumentError } from "../layers/rule.js";
import { Clause, Message, Related } from "../diagnostics/messages.js";
import { callModule, moduleParameters, namedModules, setModuleCallObserver } from "../torch/module.js";
import { setOpObserver } from "../torch/opObserver.js";
import { diagnosticsOf, setFlopCounter, setMessageFacts, setRowCounter } from "../torch/ruleContext.js";
import { packageRootOf } from "./imports.js";
import { fileCommentsOf } from "./fileComments.js";
import { commentFor, inputsForInstances, inputsFromSignatureOrCalls } from "./inputsInFile.js";
import { InputSpecError, parseInputSpec, type TorchshapeComment } from "./inputSpec.js";
import { analyseAnnotatedFunctions } from "./annotatedFunctions.js";
import type { AnalysisResult, FunctionSummary, InputSpec, LayerRow, LeafCall, ModelSummary } from "./summary.js";
import { ForwardTracer, maxRecordedCallsPerFile, reportedShapeOf } from "./tracer.js";
import { GraphRecorder } from "./graphRecorder.js";
import type { ForwardGraph } from "./forwardGraph.js";
import { setOpCallObserver } from "../torch/opCallObserver.js";
import { moduleCounts } from "./moduleCounts.js";
import { AnalysisInputError, moduleClassesOf, startSession, type Session, type SessionOptions } from "./session.js";

export { AnalysisInputError, maxFileBytes } from "./session.js";

export interface AnalyzeOptions extends SessionOptions {
  /** a class or factory name, or a Python call: "resnet18(num_classes=10)" */
  readonly model?: string;
  readonly inputs?: readonly InputSpec[];
  /** inputs for models whose file gives none (no comment, no call): an editor's settings */
  readonly defaultInputs?: readonly InputSpec[];
  /** a file without nn.Module classes is an empty result, not an error (check walks whole trees) */
  readonly allowNoModels?: boolean;
  /** record each model's forward graph (ModelSummary.graph) */
  readonly graph?: boolean;
}

export function analyzeFile(file: string, options: AnalyzeOptions = {}): AnalysisResult {
  const session = startSession(file, options);
  const { interp, main } = session;
  const models: ModelSummary[] = [];
  const functions: FunctionSummary[] = [];
  const diagnostics = diagnosticsOf(interp);
  const classes = moduleClassesOf(session);

  if (options.model) {
    let evaluated: { value: Value; line: number };
    try {
      evaluated = evaluateModelExpression(session, options.model);
    } catch (e) {
      if (!(e instanceof PyException)) throw e;
      const called = classes.find((c) => c.cls.name === options.model!.split("(")[0].trim())?.def;
      diagnostics.push(buildErrorDiagnostic(e, { file: main.file, span: called?.nameSpan ?? { line: 0, col: 0, endLine: 0, endCol: 0 } }, options.model));
      return { files: [file], models, diagnostics, notes: interp.notes, missingPackages: [...session.loader.missingPackages] };
    }
    const { value, line } = evaluated;
    const className = value.kind === "object" ? value.cls.name : options.model;
    const def = classes.find((c) => c.cls.name === className)?.def;
    const comment = def ? commentFor(main.syntax, def) : undefined;
    const inputs = pickInputs(options, comment?.inputs, def ? inputsFromSignatureOrCalls(main.syntax, def) : undefined, fileCommentsOf(main.syntax).fileInputs, configuredInputs(options, options.model, className));
    models.push(runModel(session, options.model, value, line, inputs, undefined, options.graph));
  } else {
    // a script that builds its model from elsewhere (`model = timm.create_model(...)`): the models its top level binds
    if (classes.length === 0) {
      for (const { name, value, line } of modelsBoundAtTopLevel(session)) {
        const inputs = pickInputs(options, undefined, inputsForInstances(main.syntax, new Set([name])), fileCommentsOf(main.syntax).fileInputs, configuredInputs(options, name));
        models.push(runModel(session, name, value, line, inputs, undefined, options.graph));
      }
    }
    functions.push(...analyseAnnotatedFunctions(session));
    if (classes.length === 0 && models.length === 0 && functions.length === 0 && !options.allowNoModels) throw new AnalysisInputError(`${file}: no nn.Module class found, and no model built at its top level`);
    for (const { cls, def } of classes) {
      const comment = commentFor(main.syntax, def);
      const build = buildClass(session, cls, def, comment);
      if (build.kind === "failed") diagnostics.push(build.diagnostic);
      if (build.kind !== "built") continue;
      const inputs = pickInputs(options, comment?.inputs, inputsFromSignatureOrCalls(main.syntax, def), fileCommentsOf(main.syntax).fileInputs, configuredInputs(options, cls.name));
      models.push(runModel(session, cls.name, build.value, def.span.line + 1, inputs, build.rebuild, options.graph));
    }
  }
  return { files: [file], models, functions, diagnostics, notes: interp.notes, missingPackages: [...session.loader.missingPackages] };
}

/** The nn.Module objects that `name = call(...)` statements of the file's top level bound, and still bind. */
function modelsBoundAtTopLevel(session: Session): { name: string; value: ObjectValue; line: number }[] {
  const { main } = session;
  const found: { name: string; value: ObjectValue; line: number }[] = [];
  for (const stmt of main.syntax.body) {
    if (stmt.kind !== "assign" || stmt.value.kind !== "call" || stmt.targets.length !== 1 || stmt.targets[0].kind !== "name") continue;
    const name = stmt.targets[0].id;
    const bound = main.scope.vars.get(name);
    const value = bound ? forceValue(bound) : undefined;
    if (value?.kind === "object" && value.module && !found.some((f) => f.value === value)) found.push({ name, value, line: stmt.span.line + 1 });
  }
  return found;
}

/** A module class built as its file says (`# torchshape: model=...`), else with its defaults. */
export type ClassBuild =
  | { readonly kind: "built"; readonly value: Value; readonly rebuild: () => Value }
  | { readonly kind: "needs arguments" }
  | { readonly kind: "failed"; readonly diagnostic: Diagnostic; readonly reason: string };

export function buildClass(session: Session, cls: ClassValue, def: ClassDef, comment: TorchshapeComment | undefined): ClassBuild {
  const { interp, main } = session;
  const diagnostics = diagnosticsOf(interp);
  const before = diagnostics.length;
  const build = () => (comment?.model ? evaluateModelExpression(session, comment.model).value : interp.instantiate(cls, [], new Map(), { file: main.file, span: def.span }));
  try {
    return { kind: "built", value: build(), rebuild: build };
  } catch (e) {
    // built with defaults of our choosing: a required argument, or a `= None` placeholder a layer cannot take, means the class is built with arguments elsewhere
    const placeholder = !comment?.model && e instanceof PyException && hasNoneDefaults(cls) && usedNone(e);
    if (placeholder || (e instanceof PyException && e.pyType === "TypeError" && /missing required argument/.test(e.pyMessage))) {
      interp.note(`${cls.name} needs constructor arguments; not summarised (use --model "${cls.name}(...)")`, { file: main.file, span: def.nameSpan });
      diagnostics.length = before;
      return { kind: "needs arguments" };
    }
    if (e instanceof PyException || e instanceof BudgetExceeded) return { kind: "failed", diagnostic: buildErrorDiagnostic(e, { file: main.file, span: def.nameSpan }, cls.name), reason: failureReason(e) };
    throw e;
  }
}

/** What stopped a build, in a few words. */
export function failureReason(e: PyException | BudgetExceeded): string {
  return e instanceof PyException ? `${e.pyType}: ${e.pyMessage}` : e.message;
}

/** A None used as what it cannot be: a layer's size, a callable (`conv_layer=None` then `conv_layer(...)`), an object with attributes. */
function usedNone(e: PyException): boolean {
  if (e instanceof LayerArgumentError) return e.rejectedNone;
  return !e.raisedByCode && (e.pyType === "TypeError" || e.pyType === "AttributeError") && /'NoneType'/.test(e.pyMessage);
}

/** Whether the class's __init__ has `= None` defaults: placeholders for arguments it is always given. */
function hasNoneDefaults(cls: ClassValue): boolean {
  const init = cls.mro.map((c) => c.attrs.get("__init__")).find((f) => f !== undefined);
  return init?.kind === "function" && [...init.defaults.values()].some((v) => v.kind === "none");
}

/** [tool.torchshape.inputs] for a model, by its expression or class name; a bad shape there is bad input. */
export function configuredInputs(options: SessionOptions, ...names: string[]): InputSpec[] | undefined {
  const config = options.environment?.config;
  const written = names.map((n) => config?.inputs.get(n)).find((specs) => specs !== undefined);
  if (!config || !written) return undefined;
  try {
    return written.map(parseInputSpec);
  } catch (e) {
    if (e instanceof InputSpecError) throw new AnalysisInputError(`${config.file}: [tool.torchshape.inputs]: ${e.message}`);
    throw e;
  }
}

/** The inputs of a model: --input, its comment, [tool.torchshape.inputs], a call in the file, the editor's default, else symbolic. */
export function pickInputs(
  options: AnalyzeOptions,
  fromComment: InputSpec[] | undefined,
  fromCalls: { inputs: InputSpec[]; source: string } | undefined,
  fromFileComment: InputSpec[] | undefined,
  fromConfig?: InputSpec[],
): { inputs: InputSpec[] | undefined; source: string } {
  if (options.inputs && options.inputs.length > 0) return { inputs: [...options.inputs], source: "option" };
  if (fromComment && fromComment.length > 0) return { inputs: fromComment, source: "comment" };
  if (fromConfig && fromConfig.length > 0) return { inputs: fromConfig, source: "config" };
  if (fromCalls) return fromCalls;
  if (fromFileComment && fromFileComment.length > 0) return { inputs: fromFileComment, source: "comment" };
  if (options.defaultInputs && options.defaultInputs.length > 0) return { inputs: [...options.defaultInputs], source: "default" };
  return { inputs: undefined, source: "symbolic" };
}

export function evaluateModelExpression(session: Session, expression: string): { value: Value; line: number } {
  const { interp, main } = session;
  const parsed = parseExpressionText(expression);
  if (!parsed) throw new AnalysisInputError(`--model '${expression}' is not a Python expression`);
  const scope = new Scope("function", main.scope, main.file, main.scope.moduleName);
  let value: Value;
  try {
    value = interp.evalExpr(parsed, scope);
    if (value.kind === "class" || value.kind === "function") value = interp.callValue(value, [], new Map(), undefined);
  } catch (e) {
    if (e instanceof PyException) {
      // a failure inside library code is our gap, never the user's bad input: the caller reports it as a warning
      if (isAnalysisGap(e, main.file)) throw e;
      if (e.pyType === "NameError") throw new AnalysisInputError(`--model '${expression}': ${e.pyMessage} in ${main.file}`);
      // one line, as every input error is (einops' messages run over several)
      throw new AnalysisInputError(`--model '${expression}' raised ${e.pyType}: ${e.pyMessage.split("\n")[0]}`);
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
 * An exception the evaluator raised itself (not a `raise` or an assertion of the
 * code) in library code, or a Python builtin it lacks, is our gap, and says so.
 */
export function buildErrorDiagnostic(e: PyException | BudgetExceeded, fallback: SourceLocation, model: string): Diagnostic {
  if (e instanceof BudgetExceeded) {
    const message = Message.analysisLimit({ model, reason: e.message });
    return { severity: "warning", code: message.code, message: message.text, location: fallback, related: [], model };
  }
  const where = e.where;
  if (where && isAnalysisGap(e, fallback.file)) {
    const message = Message.analysisGap({ model, where: `${relative(packageRootOf(where.file), where.file)}:${where.span.line + 1}`, type: e.pyType, detail: e.pyMessage });
    const related = where.file !== fallback.file ? [{ location: where, message: Related.notFollowedHere({}) }] : [];
    return { severity: "warning", code: message.code, message: message.text, location: where.file === fallback.file ? where : fallback, related, model };
  }
  const message = Message.buildError({ model, type: e.pyType, detail: e.pyMessage });
  const certain = e instanceof LayerArgumentError;
  const raisedHere = where && where.file === fallback.file;
  const location = (certain || raisedHere) && where ? where : fallback;
  const related = where && location !== where ? [{ location: where, message: Related.raisedHere({ type: e.pyType }) }] : [];
  return { severity: certain ? "error" : "warning", code: message.code, message: message.text, location, related, model };
}

/** Raised by the evaluator where Python would not have: in library code (outside the checked file), or a builtin it lacks. */
function isAnalysisGap(e: PyException, checkedFile: string): boolean {
  if (e instanceof LayerArgumentError || e.raisedByCode) return false;
  const missing = /^name '(\w+)' is not defined$/.exec(e.pyMessage);
  if (e.pyType === "NameError" && missing && pythonBuiltinNames.has(missing[1])) return true;
  return e.where !== undefined && resolve(e.where.file) !== resolve(checkedFile);
}

/** A forward argument as the spec says: a tensor, or a list of tensors. */
function inputValue(spec: InputSpec): Tensor | Value {
  return spec.items ? list(spec.items.map((item) => makeTensor(item.shape, item.dtype))) : makeTensor(spec.shape, spec.dtype, spec.dtypeAssumed ? { dtypeAssumed: true } : {});
}

/** The tensors among the forward arguments, a list's items included (for the messages' wording). */
function inputTensors(args: readonly Value[]): Tensor[] {
  return args.flatMap((a) => (a.kind === "tensor" ? [a] : a.kind === "list" ? a.items.filter((x): x is Tensor => x.kind === "tensor") : []));
}

/** What an argument was, as the summary reports it. */
function inputSpecOf(arg: Value): InputSpec {
  if (arg.kind === "tensor") return { shape: arg.shape ?? [], dtype: arg.dtype, ...(arg.shape ? {} : { unknown: true }) };
  const items = arg.kind === "list" ? arg.items.map(inputSpecOf) : [];
  return { shape: items[0]?.shape ?? [], dtype: items[0]?.dtype ?? "float32", items };
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
  /** the forward arguments: tensors, or lists of tensors */
  readonly inputs: readonly Value[];
  readonly output: Value;
  readonly tracer: ForwardTracer;
  readonly assignments: ModelSummary["assignments"][number][];
  readonly incomplete?: string;
  readonly diagnostics: Diagnostic[];
  /** inputs whose shape a layer guessed, with the other shapes it takes */
  readonly guesses: readonly { readonly index: number; readonly alternatives: readonly InputSpec[] }[];
  /** the forward graph, when asked for */
  readonly graph?: ForwardGraph;
}

/**
 * Walk forward once. A model input with no known shape is given the shape the
 * first layer that receives it wants (a guess, retried from the start). The
 * diagnostics of the pass are taken out of the sink and returned.
 */
function forwardRun(session: Session, name: string, model: ObjectValue, line: number, initial: readonly Value[], recordGraph = false): ForwardRun {
  const { interp, main } = session;
  const sink = diagnosticsOf(interp);
  const firstDiagnostic = sink.length;
  let inputs = [...initial];
  const guesses: { index: number; alternatives: InputSpec[] }[] = [];
  const moduleNames = new Map(namedModules(model).map(([n, m]) => [m, n] as const));
  const hooked = new Set(moduleNames.keys());
  setMessageFacts(interp, { moduleName: (m) => moduleNames.get(m) || undefined, sourceText: session.sourceText, get inputs() { return inputTensors(inputs); } });
  let tracer = new ForwardTracer(session.torch, hooked);
  let output: Value = { kind: "unknown", why: "forward did not run" };
  let incomplete: string | undefined;
  let assignments: ModelSummary["assignments"][number][] = [];
  let graph: GraphRecorder | undefined;
  for (let attempt = 0; attempt < 8; attempt++) {
    resetDataDependentDims();
    graph = recordGraph ? new GraphRecorder(moduleNames) : undefined;
    graph?.addInputs(inputs);
    tracer = new ForwardTracer(session.torch, hooked, graph, maxRecordedCallsPerFile - session.layerCalls.recorded);
    setModuleCallObserver(interp, tracer);
    setOpCallObserver(interp, graph);
    const counting = tracer;
    setFlopCounter(interp, (flops) => counting.countFlops(flops));
    setOpObserver(interp, (op, bound, result) => counting.countOpOutput(op, bound, result));
    setRowCounter(interp, () => counting.calls.length);
    assignments = [];
    const recorded = assignments;
    interp.onAssign = (assigned, value, location) => {
      if (value.kind === "tensor" || value.kind === "tuple") recorded.push({ name: assigned, location, shape: reportedShapeOf(value) });
    };
    try {
      output = callModule(model, inputs, new Map(), interp);
      graph?.addOutputs(output);
      break;
    } catch (e) {
      if (e instanceof InputShapeNeeded) {
        const i = inputs.findIndex((t) => t.kind === "tensor" && t.placeholder);
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
      setOpCallObserver(interp, undefined);
      setFlopCounter(interp, undefined);
      setOpObserver(interp, undefined);
      setRowCounter(interp, undefined);
      interp.onAssign = undefined;
    }
  }
  setMessageFacts(interp, undefined);
  session.layerCalls.recorded += tracer.leafCalls.length;
  const diagnostics = sink.splice(firstDiagnostic);
  for (const d of diagnostics) d.model ??= name;
  return { model, inputs, output, tracer, assignments, incomplete, diagnostics, guesses, graph: graph?.graph() };
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
function settleGuessedInputs(session: Session, name: string, line: number, first: ForwardRun, rebuild: (() => Value) | undefined, recordGraph: boolean): ForwardRun {
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
    const inputs = first.inputs.map((t, k) => (k === guess.index ? makeTensor(spec.shape, spec.dtype) : k > guess.index && t.kind === "tensor" && first.guesses.some((g) => g.index === k) ? makeTensor(undefined, t.dtype, { placeholder: true, unknownReason: "no input shape given" }) : t));
    const run = forwardRun(session, name, fresh, line, inputs, recordGraph);
    if (errorKeys(run).size === 0) return run;
    alternatives.push(run);
  }
  const everywhere = alternatives.reduce((keys, run) => new Set([...keys].filter((k) => errorKeys(run).has(k))), errorKeys(first));
  const guessedInput = first.inputs[guess.index];
  const guessed = guessedInput?.kind === "tensor" ? guessedInput.shape : undefined;
  for (const d of first.diagnostics) {
    if (d.severity !== "error" || everywhere.has(`${d.code}@${d.location.file}:${d.location.span.line}`)) continue;
    d.severity = "warning";
    d.message = `${d.message}; ${Clause.guessedInput({ shape: guessed ? formatShape(guessed) : "unknown" })}`;
  }
  return first;
}

export function runModel(session: Session, name: string, built: Value, line: number, picked: { inputs: InputSpec[] | undefined; source: string }, rebuild?: () => Value, recordGraph = false): ModelSummary {
  const { interp, main } = session;
  if (built.kind !== "object" || !built.module) throw new AnalysisInputError(`${name} is not an nn.Module`);
  const initial: Value[] = picked.inputs ? picked.inputs.map(inputValue) : placeholderInputs(session, built);
  const run = settleGuessedInputs(session, name, line, forwardRun(session, name, built, line, initial, recordGraph), picked.inputs ? undefined : rebuild, recordGraph);
  diagnosticsOf(interp).push(...run.diagnostics);
  const { model, inputs, output, tracer, assignments, incomplete } = run;

  const names = new Map(namedModules(model).map(([n, m]) => [m, n] as const));
  // a module called many times, and every module of the tree, is counted once
  const countsOf = moduleCounts(model, interp);
  const layers: LayerRow[] = tracer.calls.map((c, i) => {
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
      flops: tracer.rowFlops[i],
      inPlace: ((v) => v?.kind === "bool" && v.value)(c.module.attrs.get("inplace")),
      kernelSize: intsAttribute(c.module.attrs.get("kernel_size")),
      groups: ((g) => (typeof g === "number" ? g : undefined))(intsAttribute(c.module.attrs.get("groups"))),
    };
  });
  const modules = [...names].map(([m, n]) => ({ name: n, type: m.cls.name, params: countsOf(m).total, trainableParams: countsOf(m).trainable }));
  const leafCalls: LeafCall[] = tracer.leafCalls.map((c) => ({
    name: names.get(c.module) ?? c.module.cls.name,
    type: c.module.cls.name,
    row: c.row,
    params: moduleParameters(c.module).map(([paramName, p]) => ({ name: paramName, count: p.shape ? dimProduct(p.shape) : undefined, elementBytes: dtypeSize(p.dtype) })),
    output: c.output,
  }));
  const counts = countsOf(model);
  return {
    name,
    file: main.file,
    line,
    inputs: inputs.map(inputSpecOf),
    inputSource: inputs.some((t) => t.kind === "tensor" && t.placeholder) ? "unknown" : picked.source,
    layers,
    leafCalls,
    flopsOutsideRows: tracer.flopsOutsideRows,
    opOutputs: tracer.opOutputs,
    assignments,
    modules,
    outputShape: reportedShapeOf(output),
    totalParams: counts.total,
    trainableParams: counts.trainable,
    paramBytes: counts.bytes,
    incomplete,
    ...(run.graph ? { graph: run.graph } : {}),
  };
}

/** An int or a tuple/list of ints, as a module attribute holds kernel_size or groups. */
function intsAttribute(v: Value | undefined): number | number[] | undefined {
  if (v?.kind === "int") return typeof v.value === "number" ? v.value : undefined;
  if (v?.kind !== "tuple" && v?.kind !== "list") return undefined;
  const ints = v.items.map((i) => (i.kind === "int" && typeof i.value === "number" ? i.value : undefined));
  return ints.every((i) => i !== undefined) ? (ints as number[]) : undefined;
}


