// The models one file builds, each analysed once across the run: the calls
// [tool.torchshape.inputs] names whose callee it defines, what its top level, its main guard and a `main()` the guard calls bind (`net =
// Net(num_classes=10)`, with that call's arguments), its factory functions that need no arguments (`resnet18()`), then
// its nn.Module classes that no model analysed so far contains, with their
// defaults.
import { readTextFile } from "../analysis/diskReads.js";
import { BudgetExceeded, PyException } from "../eval/errors.js";
import { Scope } from "../eval/scope.js";
import { forceValue, makeDict, NONE, tuple, type ClassValue, type ObjectValue, type Value } from "../eval/values.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Expr, FunctionDef, IfStmt, Span } from "../parse/ast.js";
import { parseExpressionText } from "../parse/parser.js";
import { buildClass, buildErrorDiagnostic, configuredInputs, failureReason, pickInputs, runModel } from "../analysis/analyze.js";
import type { TorchshapeComment } from "../analysis/inputSpec.js";
import { fileCommentsOf } from "../analysis/fileComments.js";
import { commentAtClass, commentFor, inputsForInstances, inputsFromCalls, inputsFromSignatureOrCalls } from "../analysis/inputsInFile.js";
import { moduleClassesOf, startSession, type Session, type SessionOptions } from "../analysis/session.js";
import type { FunctionSummary, InputSpec, ModelSummary } from "../analysis/summary.js";
import { analyseAnnotatedFunctions } from "../analysis/annotatedFunctions.js";
import { inputsFromAnnotations } from "../analysis/annotationInputs.js";
import { isModuleClass } from "../torch/module.js";
import { diagnosticsOf } from "../torch/ruleContext.js";
import type { CoverageLedger } from "./coverage.js";
import { budgetDiagnostics, parseBudget, type Budget } from "../compute/budget.js";
import { factoryDefs, instantiationSites, type InstantiationSite } from "./entryPoints.js";

/** What built a model: a call [tool.torchshape.inputs] names, a call the code makes, a factory function called without arguments, or its class with its defaults. */
export type EntryKind = "config" | "instantiation" | "factory" | "class";

export interface CheckedModel {
  readonly summary: ModelSummary;
  readonly via: EntryKind;
}

/** A call or factory that should have built a model but raised (or ran out of budget). */
export interface UnbuiltModel {
  readonly name: string;
  readonly file: string;
  /** 1-based */
  readonly line: number;
  readonly via: EntryKind;
  readonly reason: string;
  /** a warning says it already (the build raised); otherwise only a note does */
  readonly reported: boolean;
}

export interface FileModels {
  readonly models: readonly CheckedModel[];
  readonly notBuilt: readonly UnbuiltModel[];
  /** plain functions analysed from their shape annotations */
  readonly functions: readonly FunctionSummary[];
  readonly diagnostics: readonly Diagnostic[];
  /** packages the file's code imports that the environment does not have */
  readonly missingPackages: readonly string[];
  /** where a resource bound (loop, recursion, size, time, memory) cut the analysis short */
  readonly cuts: readonly string[];
}

type PickedInputs = { inputs: InputSpec[] | undefined; source: string };

/** A class of the user's (or a library's) source that derives from nn.Module; torch's own layers are not models of the code. */
function isSourceModuleClass(v: Value | undefined, session: Session): v is ClassValue {
  return v?.kind === "class" && v.location !== undefined && isModuleClass(v, session.torch.moduleClass);
}

/**
 * A built value that is a model: a module of a class written in source, or one of
 * torch's containers holding layers (`nn.Sequential(...)`). A lone torch layer or a
 * loss (`criterion = nn.CrossEntropyLoss()`) is not.
 */
function isModel(v: Value, session: Session): v is ObjectValue {
  if (v.kind !== "object" || !v.module) return false;
  return v.cls.location !== undefined ? isModuleClass(v.cls, session.torch.moduleClass) : v.module.children.size > 0;
}

/** The `# torchshape:` comment of a model's class, wherever the class is written. */
function classComment(session: Session, cls: ClassValue, texts: Map<string, string | undefined>): TorchshapeComment | undefined {
  const at = cls.location;
  if (!at) return undefined;
  if (at.file === session.main.file) {
    const def = moduleClassesOf(session).find((c) => c.cls === cls)?.def;
    return def ? commentFor(session.main.syntax, def) : undefined;
  }
  if (!texts.has(at.file)) {
    let text: string | undefined;
    try {
      text = readTextFile(at.file);
    } catch {
      text = undefined;
    }
    texts.set(at.file, text);
  }
  const text = texts.get(at.file);
  return text === undefined ? undefined : commentAtClass(text, at.span.line);
}

/** A model's cost budget: its class's comment, then [tool.torchshape.budget] by the name that built it or its class, then the file's top comment. */
function modelBudget(comment: TorchshapeComment | undefined, options: SessionOptions, fileBudget: string | undefined, ...names: string[]): Budget | undefined {
  if (comment?.budget !== undefined) return parseBudget(comment.budget, "its `# torchshape: budget=` comment");
  const config = options.environment?.config;
  const configured = names.map((n) => config?.budgets.get(n)).find((b) => b !== undefined);
  if (config && configured !== undefined) return parseBudget(configured, `[tool.torchshape.budget] of ${config.file}`);
  return fileBudget === undefined ? undefined : parseBudget(fileBudget, "the file's `# torchshape: budget=` comment");
}

/** A call as the user wrote it, on one line and not too long: `Net(num_classes=10)`. */
function callText(session: Session, call: Expr): string {
  const text = session.sourceText({ file: session.main.file, span: call.span })?.replace(/\s+/g, " ");
  if (!text) return "model";
  return text.length <= 60 ? text : `${text.slice(0, text.indexOf("(") + 1)}...)`;
}

/** The nn.Module class a function's return annotation names: `def resnet18(...) -> ResNet`. */
function annotatedModelClass(session: Session, def: FunctionDef): ClassValue | undefined {
  const ann = def.returns;
  const name = ann?.kind === "name" ? ann.id : ann?.kind === "constant" && ann.value.type === "str" ? ann.value.value : undefined;
  const v = name ? session.main.scope.vars.get(name) : undefined;
  const cls = v ? forceValue(v) : undefined;
  return isSourceModuleClass(cls, session) ? cls : undefined;
}

/** The calls among [tool.torchshape.inputs]'s names whose callee this file defines (a bare name there only gives inputs). */
function configuredCalls(session: Session, options: SessionOptions): { expression: string; call: Expr; callee: Value; where: Span }[] {
  const { main } = session;
  const found: { expression: string; call: Expr; callee: Value; where: Span }[] = [];
  for (const expression of options.environment?.config?.inputs.keys() ?? []) {
    if (!/^[A-Za-z_]\w*\s*\(/.test(expression)) continue;
    const call = parseExpressionText(expression);
    if (call?.kind !== "call" || call.func.kind !== "name") continue;
    const bound = main.scope.vars.get(call.func.id);
    const callee = bound ? forceValue(bound) : undefined;
    const where = callee?.kind === "class" && callee.location?.file === main.file ? callee.location.span : callee?.kind === "function" && callee.file === main.file ? callee.span : undefined;
    if (callee && where) found.push({ expression, call, callee, where });
  }
  return found;
}

export interface FileModelsOptions extends SessionOptions {
  /** each model (its build and forward pass) gets this budget afresh, after the file's own for loading it */
  readonly modelTimeLimitMs?: number;
}

/** How many model budgets a file's models share in all. */
export const fileBudgetsPerModel = 3;

export function checkFileModels(file: string, options: FileModelsOptions, ledger: CoverageLedger): FileModels {
  const session = startSession(file, options);
  const { interp, main } = session;
  // each model gets a budget of its own, so one that never finishes does not starve the next; all of
  // them together get at most fileBudgetsPerModel budgets, so a file of 500 models is bounded too
  const fileDeadline = options.modelTimeLimitMs === undefined ? Infinity : Date.now() + fileBudgetsPerModel * options.modelTimeLimitMs;
  const freshBudget = () => {
    if (options.modelTimeLimitMs === undefined) return;
    const left = fileDeadline - Date.now();
    if (left <= 0) interp.cut(`the file's time budget of ${fileBudgetsPerModel} × ${options.modelTimeLimitMs} ms for its models is spent; the models after this one are not analysed`);
    interp.renewBudget(Math.max(1, Math.min(options.modelTimeLimitMs, left)));
  };
  const sink = diagnosticsOf(interp);
  const models: CheckedModel[] = [];
  const texts = new Map<string, string | undefined>();
  const classes = moduleClassesOf(session);
  for (const { cls } of classes) ledger.classFound(cls);
  const { fileInputs, fileBudget } = fileCommentsOf(main.syntax);

  const analyse = (via: EntryKind, name: string, built: ObjectValue, line: number, picked: (comment: TorchshapeComment | undefined) => PickedInputs, rebuild: () => Value, before: number) => {
    if (!ledger.modelIsNew(built)) {
      // the same model was analysed already: what building it again reported was reported then
      sink.length = before;
      return;
    }
    const comment = classComment(session, built.cls, texts);
    const summary = runModel(session, name, built, line, picked(comment), rebuild);
    models.push({ summary, via });
    const budget = modelBudget(comment, options, fileBudget, name, built.cls.name);
    if (budget) sink.push(...budgetDiagnostics(summary, budget));
    ledger.modelAnalysed(built);
  };

  /** A call that should have built a model raised: a warning on the call, and its class is not analysed this way. */
  const notBuilt: UnbuiltModel[] = [];
  const failedBuild = (e: unknown, callee: Value | undefined, via: EntryKind, name: string, where: { line: number; col: number; endLine: number; endCol: number }) => {
    if (!(e instanceof PyException || e instanceof BudgetExceeded)) throw e;
    sink.push(buildErrorDiagnostic(e, { file: main.file, span: where }, name));
    notBuilt.push({ name, file: main.file, line: where.line + 1, via, reason: failureReason(e), reported: true });
    if (callee?.kind === "class") ledger.classSkipped(callee, { kind: "could not build", detail: failureReason(e) });
  };

  // 0. the calls [tool.torchshape.inputs] names (`"Net(width=8)" = ["1,3,32,32"]`), in the file that defines their callee
  for (const { expression, call, callee, where } of configuredCalls(session, options)) {
    freshBudget();
    const before = sink.length;
    const build = () => interp.evalExpr(call, main.scope);
    let built: Value;
    try {
      built = build();
    } catch (e) {
      failedBuild(e, callee, "config", expression, where);
      continue;
    }
    if (!isModel(built, session)) {
      sink.length = before;
      continue;
    }
    const inputs = (comment: TorchshapeComment | undefined) => pickInputs({}, comment?.inputs, undefined, fileInputs, configuredInputs(options, expression));
    analyse("config", expression, built, where.line + 1, inputs, build, before);
  }

  // 1. what the file binds: at module level (already run when the module loaded), under its main guard and in main()
  const sites = instantiationSites(main.syntax);
  const blocksRun = new Map<IfStmt | FunctionDef, number>();
  const scopes = new Map<IfStmt | FunctionDef, Scope>();
  /** the guard runs in the module's scope; a function it calls, in its own, its parameters at their defaults */
  const blockScope = (owner: IfStmt | FunctionDef): Scope => {
    if (owner.kind === "if") return main.scope;
    let scope = scopes.get(owner);
    if (!scope) {
      scopes.set(owner, (scope = new Scope("function", main.scope, main.file, main.scope.moduleName)));
      for (const p of owner.params) {
        let value: Value = p.kind === "varargs" ? tuple([]) : p.kind === "varkw" ? makeDict() : NONE;
        try {
          if (p.default) value = interp.evalExpr(p.default, main.scope);
        } catch (e) {
          if (!(e instanceof PyException)) throw e;
        }
        scope.vars.set(p.name, value);
      }
    }
    return scope;
  };
  const instantiated = (site: InstantiationSite) => {
    freshBudget();
    const before = sink.length;
    const calleeOf = (scope: Scope) => {
      try {
        return interp.evalExpr(site.call.func, scope);
      } catch {
        return undefined;
      }
    };
    if (site.block) {
      // run the block's statements up to and with the one holding the call, once
      const { owner, index } = site.block;
      const scope = blockScope(owner);
      for (let i = blocksRun.get(owner) ?? 0; i <= index; i++) {
        blocksRun.set(owner, i + 1);
        try {
          interp.execStmt(owner.body[i], scope);
        } catch (e) {
          if (e instanceof BudgetExceeded) return failedBuild(e, undefined, "instantiation", callText(session, site.call), site.call.span);
          if (!(e instanceof PyException)) throw e;
          if (i !== index || !site.direct) continue;
          const callee = calleeOf(scope);
          if (isSourceModuleClass(callee, session)) return failedBuild(e, callee, "instantiation", callText(session, site.call), site.call.span);
        }
      }
    }
    const scope = site.block ? blockScope(site.block.owner) : main.scope;
    const callee = calleeOf(scope);
    const name = callText(session, site.call);
    // a class of this file whose forward is annotated takes its input from there first
    const classDef = callee?.kind === "class" ? classes.find((c) => c.cls === callee)?.def : undefined;
    const fromCode = () => (classDef ? inputsFromAnnotations(main.syntax, classDef) : undefined) ?? inputsForInstances(main.syntax, new Set(site.targets), site.call.func.kind === "name" ? site.call.func.id : undefined);
    const inputs = (comment: TorchshapeComment | undefined) => pickInputs({}, comment?.inputs, fromCode(), fileInputs);
    const rebuild = () => interp.evalExpr(site.call, scope);
    // what the names hold, if this very call built it (a class's object remembers where it was constructed)
    const madeHere = (v: Value): v is ObjectValue =>
      isModel(v, session) && (callee?.kind !== "class" || (v.module?.createdAt?.file === main.file && v.module.createdAt.span.line === site.call.span.line && v.module.createdAt.span.col === site.call.span.col));
    for (const target of site.targets) {
      const bound = scope.vars.get(target);
      const value = bound ? forceValue(bound) : undefined;
      if (value && madeHere(value)) return analyse("instantiation", name, value, site.call.span.line + 1, inputs, rebuild, before);
    }
    // a statement that surely ran and calls a model class, whose names do not hold what it built (rebound since, or it raised): build it again
    if (!site.direct || !isSourceModuleClass(callee, session)) return;
    let built: Value;
    try {
      built = rebuild();
    } catch (e) {
      return failedBuild(e, callee, "instantiation", name, site.call.span);
    }
    if (isModel(built, session)) analyse("instantiation", name, built, site.call.span.line + 1, inputs, rebuild, before);
  };
  for (const site of sites) instantiated(site);

  // 2. factory functions called without arguments
  for (const def of factoryDefs(main.syntax)) {
    const bound = main.scope.vars.get(def.name);
    const fn = bound ? forceValue(bound) : undefined;
    if (!fn || (fn.kind !== "function" && fn.kind !== "partial")) continue;
    const site = { file: main.file, span: def.nameSpan };
    const build = () => interp.callValue(fn, [], new Map(), site);
    freshBudget();
    const before = sink.length;
    let built: Value;
    try {
      built = build();
    } catch (e) {
      sink.length = before;
      // only a function that says it returns a model is a model whose build failed
      const returns = annotatedModelClass(session, def);
      if (returns) failedBuild(e, returns, "factory", `${def.name}()`, def.nameSpan);
      else if (e instanceof PyException || e instanceof BudgetExceeded) interp.note(`${def.name}() raised ${failureReason(e)}; not analysed`, site);
      else throw e;
      continue;
    }
    if (!isModel(built, session)) {
      sink.length = before;
      // it says it returns a model, and what it returned is not known: a model not built, said as a note (nothing raised)
      const returns = built.kind === "unknown" ? annotatedModelClass(session, def) : undefined;
      if (returns && built.kind === "unknown") {
        notBuilt.push({ name: `${def.name}()`, file: main.file, line: def.nameSpan.line + 1, via: "factory", reason: built.why, reported: false });
        ledger.classSkipped(returns, { kind: "could not build", detail: built.why });
      }
      continue;
    }
    const inputs = (comment: TorchshapeComment | undefined) => pickInputs({}, comment?.inputs, inputsFromCalls(main.syntax, def.name), fileInputs, configuredInputs(options, `${def.name}()`, def.name));
    analyse("factory", `${def.name}()`, built, def.span.line + 1, inputs, build, before);
  }

  // 3. the file's classes that no model so far contains, with their defaults
  for (const { cls, def } of classes) {
    if (ledger.isAnalysed(cls)) continue;
    freshBudget();
    const before = sink.length;
    const comment = commentFor(main.syntax, def);
    const build = buildClass(session, cls, def, comment);
    if (build.kind === "needs arguments") ledger.classSkipped(cls, { kind: "needs constructor arguments" });
    else if (build.kind === "failed") {
      sink.push(build.diagnostic);
      ledger.classSkipped(cls, { kind: "could not build", detail: build.reason });
    } else if (isModel(build.value, session)) {
      const inputs = () => pickInputs({}, comment?.inputs, inputsFromSignatureOrCalls(main.syntax, def), fileInputs, configuredInputs(options, cls.name));
      analyse("class", cls.name, build.value, def.span.line + 1, inputs, build.rebuild, before);
      // what its comment builds is this class's model, whatever class that is
      if (comment?.model) ledger.classAnalysed(cls);
    }
  }
  // 4. plain functions with shape-annotated arguments
  const functions = analyseAnnotatedFunctions(session, freshBudget);
  const limits = sink.filter((d) => d.code === "analysis-limit").map((d) => d.message);
  return { models, notBuilt, functions, diagnostics: sink, missingPackages: [...session.loader.missingPackages], cuts: [...interp.cuts.map((c) => c.message), ...limits] };
}
