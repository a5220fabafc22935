// A small Python evaluator over the typed tree. The same interpreter runs
// __init__ (concrete values) and forward (abstract tensors); what torch means is
// supplied from outside through TensorSemantics and native namespaces.
//
// This class holds the evaluator's state (budget, call frames, the current
// site, notes) and its public face; the semantics live beside it, as functions
// that take the interpreter first: statements.ts, definitions.ts,
// expressions.ts, calls.ts, attributes.ts, items.ts, operatorDispatch.ts.
import type * as A from "../parse/ast.js";
import type { Tensor } from "../shapes/tensor.js";
import * as attributes from "./attributes.js";
import { bindArguments } from "./binding.js";
import * as calls from "./calls.js";
import * as definitions from "./definitions.js";
import { BudgetExceeded, PyException } from "./errors.js";
import { isStackOverflow, stackOverflowOnSmallStack } from "./hostStack.js";
import * as expressions from "./expressions.js";
import * as items from "./items.js";
import * as operators from "./operatorDispatch.js";
import { Scope } from "./scope.js";
import { memoryInUse } from "./memoryMeter.js";
import { maxModulesBuilt } from "./sizeLimits.js";
import { mergeValues } from "./unknowns.js";
import * as statements from "./statements.js";
import { allocationMeter, NONE, type ClassValue, type FunctionValue, type NamespaceValue, type NativeCall, type ObjectValue, type SourceLocation, type Value } from "./values.js";

/** What tensors mean: implemented by the torch model (src/torch), not by the evaluator. */
export interface TensorSemantics {
  attribute(t: Tensor, name: string, interp: Interpreter): Value;
  /** `inplace`: the augmented form (`a += b`), which must keep a's shape */
  binary(op: A.BinaryOperator, a: Value, b: Value, interp: Interpreter, inplace?: boolean): Value;
  unary(op: "-" | "+" | "~", a: Tensor, interp: Interpreter): Value;
  compare(op: A.CompareOperator, a: Value, b: Value, interp: Interpreter): Value;
  getItem(t: Tensor, index: Value, interp: Interpreter): Value;
  setItem(t: Tensor, index: Value, value: Value, interp: Interpreter): void;
  iterate(t: Tensor, interp: Interpreter): Value[] | undefined;
  setAttribute(t: Tensor, name: string, value: Value, interp: Interpreter): void;
}

export interface ImportResolver {
  /** a module by absolute dotted name, or relative (level > 0) to the importing scope; undefined when unresolvable */
  importModule(name: string, level: number, from: Scope, interp: Interpreter): NamespaceValue | undefined;
  /** whether an absolute module name can be found, without running it; undefined when that cannot be told */
  moduleExists?(name: string, from: Scope): boolean | undefined;
  /** the version an installed distribution declares (its dist-info METADATA), if one is found */
  distributionVersion?(name: string): string | undefined;
}

export interface Note {
  readonly message: string;
  readonly location?: SourceLocation;
}

export type Completion = { readonly type: "return"; readonly value: Value } | { readonly type: "break" } | { readonly type: "continue" } | undefined;

interface Frame {
  readonly func: FunctionValue;
  readonly scope: Scope;
  /** a value returned on a path that an undecidable condition may have taken (merged into the function's result) */
  mayReturn?: Value;
}

/** Watches Python functions run: their arguments bound, their result, and `name: T = value` in their bodies. */
export interface FunctionObserver {
  called(func: FunctionValue, scope: Scope): void;
  returned(func: FunctionValue, scope: Scope, result: Value): void;
  annotatedAssign(stmt: A.AnnAssignStmt, value: Value, scope: Scope): void;
}

export interface InterpreterOptions {
  readonly stepLimit: number;
  /** Python's own recursion limit: deeper calls raise RecursionError, as in Python */
  readonly depthLimit: number;
  /** wall-clock budget in ms */
  readonly timeLimitMs: number;
  /** memory the file's analysis may take, in bytes, from its start (its parse) to its report (src/eval/memoryMeter.ts) */
  readonly memoryLimitBytes: number;
  /** list, tuple and string items the analysis may allocate in all (strings count a slot per 8 characters) */
  readonly allocationLimit: number;
  /** iterations of one loop before it is stopped and what it changes becomes unknown */
  readonly loopIterationLimit: number;
}

export const defaultInterpreterOptions: InterpreterOptions = {
  stepLimit: 20_000_000,
  depthLimit: 1000,
  timeLimitMs: 20_000,
  memoryLimitBytes: 512 * 2 ** 20,
  allocationLimit: 10_000_000,
  loopIterationLimit: 1_000_000,
};

export class Interpreter {
  readonly notes: Note[] = [];
  /** where a resource bound cut the analysis short (a subset of the notes): `check` never calls such a file clean */
  readonly cuts: Note[] = [];
  private memoryAtStart: number;
  private allocatedAtStart = 0;
  private modulesBuilt = 0;
  private readonly noteKeys = new Set<string>();
  readonly options: InterpreterOptions;
  private steps = 0;
  private readonly frames: Frame[] = [];
  private deadline: number;
  private timeLimitMs: number;
  /** the innermost call expression being evaluated: where natives report */
  site: SourceLocation | undefined;
  /** told of every assignment to a name (editors show the shapes of forward's locals) */
  onAssign?: (name: string, value: Value, target: SourceLocation) => void;
  /** told of every Python function's start and return, and of annotated assignments (shape annotations are checked against them) */
  functionObserver?: FunctionObserver;

  constructor(
    readonly builtins: Scope,
    readonly tensors: TensorSemantics,
    readonly imports: ImportResolver,
    options: Partial<InterpreterOptions> & Pick<InterpreterOptions, "timeLimitMs"> = defaultInterpreterOptions,
  ) {
    this.options = { ...defaultInterpreterOptions, ...options };
    this.timeLimitMs = options.timeLimitMs;
    this.deadline = Date.now() + options.timeLimitMs;
    this.memoryAtStart = memoryInUse();
    this.startMeters();
  }

  private startMeters(): void {
    this.allocatedAtStart = allocationMeter.items;
    this.modulesBuilt = 0;
  }

  /** The file's memory is counted from `bytes` (memoryInUse() when its analysis began, before its parse). */
  countMemoryFrom(bytes: number): void {
    this.memoryAtStart = bytes;
  }

  /**
   * A fresh step, time, allocation and module budget for the next piece of work: `check` gives each
   * model a file builds its own. The memory budget stays the file's: memory is what the whole run holds.
   */
  renewBudget(timeLimitMs: number): void {
    this.steps = 0;
    this.timeLimitMs = timeLimitMs;
    this.deadline = Date.now() + timeLimitMs;
    this.startMeters();
  }

  note(message: string, location: SourceLocation | undefined = this.site): void {
    const key = `${message}@${location?.file}:${location?.span.line}`;
    if (this.noteKeys.has(key)) return;
    this.noteKeys.add(key);
    this.notes.push({ message, location });
  }

  /** A resource bound cut the analysis short here: a note, and a cut that `check` counts. */
  cut(message: string, location: SourceLocation | undefined = this.site): void {
    const before = this.notes.length;
    this.note(message, location);
    if (this.notes.length > before) this.cuts.push(this.notes[this.notes.length - 1]!);
  }

  /** One step of evaluation: stops the analysis when the step, time, memory or allocation budget is spent. */
  tick(): void {
    if (++this.steps > this.options.stepLimit) throw new BudgetExceeded(`step budget of ${this.options.stepLimit} exceeded`);
    // the clock is cheap to read and a step can be slow (a layer call that records a row): every 256 steps;
    // the allocation count and the memory every 4,096 (the resident set is read from the system, about 10 µs,
    // a worker thread's heap statistics about 1 µs; every 32,768 steps an LSTM of 10**13 layers, a layer a
    // step, grew 100 MB past the budget)
    if ((this.steps & 0xff) !== 0) return;
    this.checkTime();
    if ((this.steps & 0xfff) !== 0) return;
    this.checkAllocations();
    this.checkMemory();
  }

  /** Whether the time budget is spent: work after the analysis (counting, reporting) that could take as long again stops there. */
  pastDeadline(): boolean {
    return Date.now() > this.deadline;
  }

  /** The time, allocation and memory budgets, checked now: a rule whose every turn builds much (a deep copy of a layer) checks each turn. */
  checkBudgets(): void {
    this.checkTime();
    this.checkAllocations();
    this.checkMemory();
  }

  private checkTime(): void {
    if (Date.now() > this.deadline) throw new BudgetExceeded(`time budget of ${this.timeLimitMs} ms exceeded`);
  }

  private checkAllocations(): void {
    if (allocationMeter.items - this.allocatedAtStart > this.options.allocationLimit) throw new BudgetExceeded(`more than ${this.options.allocationLimit.toLocaleString("en-US")} values allocated`);
  }

  private checkMemory(): void {
    if (memoryInUse() - this.memoryAtStart > this.options.memoryLimitBytes) throw new BudgetExceeded(`memory budget of ${Math.round(this.options.memoryLimitBytes / 2 ** 20)} MB exceeded`);
  }

  /** A module was built here: past maxModulesBuilt the analysis stops, with a note where. */
  moduleBuilt(site: SourceLocation | undefined = this.site): void {
    if (++this.modulesBuilt <= maxModulesBuilt) return;
    const what = `more than ${maxModulesBuilt.toLocaleString("en-US")} modules built`;
    this.cut(`${what} (the analysis limit)${site ? `, the last at line ${site.span.line + 1}` : ""}; the analysis stopped there`, site);
    throw new BudgetExceeded(what);
  }

  /** An undecidable condition's branch returned this while the other went on: the function may return it. */
  returnMayBe(value: Value): void {
    const frame = this.currentFrame();
    if (frame) frame.mayReturn = frame.mayReturn ? mergeValues(frame.mayReturn, value) : value;
  }

  currentFrame(): Frame | undefined {
    return this.frames[this.frames.length - 1];
  }

  /** Run `f` with the site set to `site` (a subscript's or operator's own span), so a rule reports there and not at the enclosing call. */
  atSite<T>(site: SourceLocation | undefined, f: () => T): T {
    const saved = this.site;
    this.site = site ?? saved;
    try {
      return f();
    } finally {
      this.site = saved;
    }
  }

  /** Run a Python function's body in a new frame (the call stack is this class's state; calls.ts dispatches here). */
  callFunction(func: FunctionValue, args: readonly Value[], kwargs: ReadonlyMap<string, Value>): Value {
    if (this.frames.length >= this.options.depthLimit) {
      this.cut(`recursion deeper than ${this.options.depthLimit} calls (Python's limit) raised RecursionError`);
      throw new PyException("RecursionError", "maximum recursion depth exceeded");
    }
    const bound = bindArguments(func.name, func.params, func.defaults, args, kwargs);
    const scope = new Scope("function", func.closure, func.file, func.closure.moduleName);
    for (const [k, v] of bound) scope.vars.set(k, v);
    this.frames.push({ func, scope });
    try {
      const observer = this.functionObserver;
      observer?.called(func, scope);
      const result = this.runBody(func, scope);
      observer?.returned(func, scope, result);
      return result;
    } finally {
      this.frames.pop();
    }
  }

  private runBody(func: FunctionValue, scope: Scope): Value {
    if (!Array.isArray(func.body)) return this.evalExprLazy(func.body as A.Expr, scope);
    const frame = this.currentFrame()!;
    let result: Value;
    try {
      const c = this.execBlock(func.body as readonly A.Stmt[], scope);
      result = c?.type === "return" ? c.value : NONE;
    } catch (e) {
      // the path that went on raised: the real run returned on the other one
      if (e instanceof PyException && frame.mayReturn) return frame.mayReturn;
      // JavaScript's stack ran out before Python's limit: on the main thread's small stack the run is redone
      // on a large one (hostStack.ts); on a large stack it is a cut, not a crash
      if (isStackOverflow(e)) throw stackOverflowOnSmallStack() ?? new BudgetExceeded(`recursion deeper than the analysis's stack can follow (${this.frames.length} calls)`);
      throw e;
    }
    return frame.mayReturn ? mergeValues(frame.mayReturn, result) : result;
  }

  // ---------------------------------------------------------------- statements and definitions (statements.ts, definitions.ts)

  execModule(body: readonly A.Stmt[], scope: Scope): void {
    statements.execBlock(this, body, scope);
  }

  execBlock(body: readonly A.Stmt[], scope: Scope): Completion {
    return statements.execBlock(this, body, scope);
  }

  execStmt(s: A.Stmt, scope: Scope): Completion {
    return statements.execStmt(this, s, scope);
  }

  assignTarget(t: A.Expr, value: Value, scope: Scope): void {
    statements.assignTarget(this, t, value, scope);
  }

  makeFunction(s: A.FunctionDef, scope: Scope): FunctionValue {
    return definitions.makeFunction(this, s, scope);
  }

  makeClass(s: A.ClassDef, scope: Scope): ClassValue {
    return definitions.makeClass(this, s, scope);
  }

  // ---------------------------------------------------------------- expressions (expressions.ts)

  /** The value of an expression, computed: never lazy. */
  evalExpr(e: A.Expr, scope: Scope): Value {
    return expressions.evalExpr(this, e, scope);
  }

  /** The value of an expression where it is only moved: an imported name stays lazy (see expressions.ts). */
  evalExprLazy(e: A.Expr, scope: Scope): Value {
    return expressions.evalExprLazy(this, e, scope);
  }

  // ---------------------------------------------------------------- calls (calls.ts)

  /** Call a value; the result is computed (never lazy), for natives and rules that look at it. */
  callValue(func: Value, args: readonly Value[], kwargs: ReadonlyMap<string, Value> = new Map(), site: SourceLocation | undefined = this.site): Value {
    return calls.callValue(this, func, args, kwargs, site);
  }

  instantiate(cls: ClassValue, args: readonly Value[], kwargs: ReadonlyMap<string, Value>, site?: SourceLocation): Value {
    return calls.instantiate(this, cls, args, kwargs, site);
  }

  // ---------------------------------------------------------------- attributes and descriptors (attributes.ts)

  lookupInMro(cls: ClassValue, name: string, start = 0): { value: Value; owner: ClassValue } | undefined {
    return attributes.lookupInMro(cls, name, start);
  }

  /** How a class attribute looks when reached through an instance (or class). */
  bindDescriptor(v: Value, self: Value, cls: ClassValue): Value {
    return attributes.bindDescriptor(this, v, self, cls);
  }

  /** A special method looked up on the type, bound to the object. */
  lookupSpecial(obj: ObjectValue, name: string): Value | undefined {
    return attributes.lookupSpecial(this, obj, name);
  }

  getAttr(obj: Value, name: string, site?: SourceLocation): Value {
    return attributes.getAttr(this, obj, name, site);
  }

  setAttr(obj: Value, name: string, value: Value): void {
    attributes.setAttr(this, obj, name, value);
  }

  /** Methods of the builtin types (str.join, list.append, dict.items, ...). */
  builtinMethod(obj: Value, name: string): Value | undefined {
    return attributes.builtinMethod(this, obj, name);
  }

  // ---------------------------------------------------------------- items, iteration and truth (items.ts)

  getItem(obj: Value, index: Value, site?: SourceLocation): Value {
    return items.getItem(this, obj, index, site);
  }

  setItem(obj: Value, index: Value, value: Value): void {
    items.setItem(this, obj, index, value);
  }

  /** All items of an iterable, or undefined when they cannot be known. */
  iterate(v: Value): Value[] | undefined {
    return items.iterate(this, v);
  }

  mappingEntries(v: Value): [Value, Value][] {
    return items.mappingEntries(this, v);
  }

  /** Python truthiness; undefined when it depends on data or unknown values. */
  truthy(v: Value): boolean | undefined {
    return items.truthy(this, v);
  }

  // ---------------------------------------------------------------- operators (operatorDispatch.ts)

  binary(op: A.BinaryOperator, a: Value, b: Value): Value {
    return operators.binary(this, op, a, b);
  }

  unary(op: "-" | "+" | "~" | "not", v: Value): Value {
    return operators.unary(this, op, v);
  }

  compare(op: A.CompareOperator, a: Value, b: Value): Value {
    return operators.compare(this, op, a, b);
  }

  equals(a: Value, b: Value): boolean | undefined {
    return operators.equals(this, a, b);
  }

  contains(container: Value, item: Value): boolean | undefined {
    return operators.contains(this, container, item);
  }
}

export type { NativeCall };
