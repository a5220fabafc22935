// Shape annotations as checks: every call of a function of the checked file binds
// its annotated dimension names to the sizes its arguments arrive with, then its
// annotated assignments and its result are compared with what the analysis
// inferred. A provable difference is an error; one that holds for some sizes only
// is an info naming them; a name bound to two sizes in one call is an error.
import type { Diagnostic, RelatedLocation, Severity } from "../diagnostics/diagnostic.js";
import { Message, Related, type DiagnosticMessage } from "../diagnostics/messages.js";
import type { FunctionObserver, Interpreter } from "../eval/interpreter.js";
import type { Scope } from "../eval/scope.js";
import type { FunctionValue, SourceLocation, Value } from "../eval/values.js";
import type { AnnAssignStmt, Expr, PyModule, Span, Stmt } from "../parse/ast.js";
import { dimCompareEq, dimToString, dimVariables, type Dim } from "../shapes/dim.js";
import { formatShape } from "../shapes/shape.js";
import { fitText, inputsThatFit } from "../shapes/solve.js";
import { diagnosticsOf } from "../torch/ruleContext.js";
import { evaluateDimExpression } from "./dimExpression.js";
import { annotationVocabulary, readShapeAnnotation, type AnnotationReading, type AnnotationVocabulary, type ShapeAnnotation } from "./shapeAnnotations.js";

/** The sizes one call bound to its dimension names, and where. */
interface Binding {
  readonly size: Dim;
  readonly where: string;
  readonly location: SourceLocation;
}
interface Bindings {
  readonly names: Map<string, Binding>;
  readonly variadic: Map<string, { readonly dims: readonly Dim[]; readonly where: string; readonly location: SourceLocation }>;
}

type Finding =
  | { readonly kind: "rank" }
  | { readonly kind: "size"; readonly axis: number; readonly actual: Dim; readonly expected: Dim }
  | { readonly kind: "maybe"; readonly axis: number; readonly actual: Dim; readonly expected: Dim }
  | { readonly kind: "conflict"; readonly name: string; readonly first: Binding; readonly actual: Dim };

const freshBindings = (): Bindings => ({ names: new Map(), variadic: new Map() });

/**
 * Compare a shape with an annotation, binding the names it meets for the first
 * time. Names are bound before arithmetic dimensions are evaluated.
 */
export function matchShape(annotation: ShapeAnnotation, shape: readonly Dim[], bindings: Bindings, where: string, location: SourceLocation): Finding[] {
  const dims = annotation.dims;
  const v = dims.findIndex((d) => d.kind === "variadic");
  const pairs: { ann: (typeof dims)[number]; actual: Dim; axis: number }[] = [];
  if (v < 0) {
    if (shape.length !== dims.length) return [{ kind: "rank" }];
    dims.forEach((ann, axis) => pairs.push({ ann, actual: shape[axis], axis }));
  } else {
    const after = dims.length - v - 1;
    if (shape.length < dims.length - 1) return [{ kind: "rank" }];
    dims.slice(0, v).forEach((ann, axis) => pairs.push({ ann, actual: shape[axis], axis }));
    dims.slice(v + 1).forEach((ann, i) => pairs.push({ ann, actual: shape[shape.length - after + i], axis: shape.length - after + i }));
    const variadic = dims[v];
    const middle = shape.slice(v, shape.length - after);
    if (variadic.kind === "variadic" && variadic.name) {
      const bound = bindings.variadic.get(variadic.name);
      if (!bound) bindings.variadic.set(variadic.name, { dims: middle, where, location });
      else if (bound.dims.length !== middle.length || bound.dims.some((d, i) => dimCompareEq(d, middle[i]) === false)) return [{ kind: "rank" }];
    }
  }
  const findings: Finding[] = [];
  const compare = (axis: number, actual: Dim, expected: Dim) => {
    const equal = dimCompareEq(actual, expected);
    if (equal === false) findings.push({ kind: "size", axis, actual, expected });
    else if (equal === undefined) findings.push({ kind: "maybe", axis, actual, expected });
  };
  for (const { ann, actual, axis } of pairs) {
    if (ann.kind === "size") compare(axis, actual, ann.size);
    else if (ann.kind === "name") {
      if (ann.broadcast && actual === 1) continue;
      const bound = bindings.names.get(ann.name);
      if (!bound) bindings.names.set(ann.name, { size: actual, where, location });
      else if (dimCompareEq(actual, bound.size) === false) findings.push({ kind: "conflict", name: ann.name, first: bound, actual });
      else if (dimCompareEq(actual, bound.size) === undefined) findings.push({ kind: "maybe", axis, actual, expected: bound.size });
    }
  }
  for (const { ann, actual, axis } of pairs) {
    if (ann.kind !== "expression" || (ann.broadcast && actual === 1)) continue;
    const expected = evaluateDimExpression(ann.expression, (n) => bindings.names.get(n)?.size);
    if (expected !== undefined) compare(axis, actual, expected);
  }
  return findings;
}

/** The statements of a body and of the blocks nested in it; into nested defs and classes only when asked. */
function* nestedStatements(body: readonly Stmt[], intoDefinitions: boolean): Generator<Stmt> {
  for (const s of body) {
    yield s;
    if (s.kind === "def" || s.kind === "class") {
      if (intoDefinitions) yield* nestedStatements(s.body, true);
    } else if (s.kind === "if" || s.kind === "for" || s.kind === "while") {
      yield* nestedStatements(s.body, intoDefinitions);
      yield* nestedStatements(s.orelse, intoDefinitions);
    } else if (s.kind === "with") yield* nestedStatements(s.body, intoDefinitions);
    else if (s.kind === "try") {
      yield* nestedStatements(s.body, intoDefinitions);
      for (const h of s.handlers) yield* nestedStatements(h.body, intoDefinitions);
    }
  }
}

/** The annotations of a file's functions and assignments, walked once to report those that do not parse. */
function* annotationsIn(body: readonly Stmt[]): Generator<Expr> {
  for (const s of nestedStatements(body, true)) {
    if (s.kind === "def") {
      for (const p of s.params) if (p.annotation) yield p.annotation;
      if (s.returns) yield s.returns;
    } else if (s.kind === "annassign") yield s.annotation;
  }
}

/** The return statements of a function's body, nested functions and classes left out. */
function returnsIn(body: readonly Stmt[]): (Stmt & { kind: "return" })[] {
  return [...nestedStatements(body, false)].filter((s): s is Stmt & { kind: "return" } => s.kind === "return");
}

/** The tuple items of `tuple[A, B]` / `Tuple[A, B]`, or undefined. */
function tupleItems(e: Expr): readonly Expr[] | undefined {
  if (e.kind !== "subscript") return undefined;
  const head = e.value.kind === "name" ? e.value.id : e.value.kind === "attribute" ? e.value.attr : "";
  if (head !== "tuple" && head !== "Tuple") return undefined;
  return e.index.kind === "tuple" ? e.index.elts : [e.index];
}

export class AnnotationChecker implements FunctionObserver {
  private readonly vocabulary: AnnotationVocabulary;
  private readonly readings = new WeakMap<Expr, AnnotationReading>();
  private readonly bindings = new WeakMap<Scope, Bindings>();

  constructor(
    private readonly interp: Interpreter,
    private readonly file: string,
    syntax: PyModule,
  ) {
    this.vocabulary = annotationVocabulary(syntax, file);
    const reported = new Set<string>();
    const unreadable = [...annotationsIn(syntax.body)].map((e) => this.read(e)).filter((r) => r.kind === "unreadable");
    for (const alias of this.vocabulary.aliases.values()) if (alias.kind === "unreadable") unreadable.push(alias);
    for (const r of unreadable) {
      if (r.kind !== "unreadable") continue;
      const key = `${r.span.line}:${r.span.col}`;
      if (reported.has(key)) continue;
      reported.add(key);
      this.emit("warning", Message.annotationSyntax({ reason: r.reason }), r.span, []);
    }
  }

  /** A shape annotation of the checked file: what an expression of it says. */
  read(e: Expr): AnnotationReading {
    let r = this.readings.get(e);
    if (!r) this.readings.set(e, (r = readShapeAnnotation(e, this.vocabulary)));
    return r;
  }

  private bindingsOf(scope: Scope): Bindings {
    let b = this.bindings.get(scope);
    if (!b) this.bindings.set(scope, (b = freshBindings()));
    return b;
  }

  called(func: FunctionValue, scope: Scope): void {
    if (func.file !== this.file) return;
    const bindings = this.bindingsOf(scope);
    for (const p of func.params) {
      const shape = p.annotation ? this.read(p.annotation) : undefined;
      if (shape?.kind !== "shape") continue;
      // peek: an argument only passed along (a lazy import) is not evaluated for this
      const value = scope.vars.peek(p.name);
      if (value?.kind !== "tensor" || !value.shape) continue;
      const at = { file: this.file, span: p.annotation!.span };
      const findings = matchShape(shape.shape, value.shape, bindings, p.name, at);
      const name = func.qualname;
      this.reportFindings(findings, shape.shape, value.shape, p.annotation!.span, [], {
        mismatch: (detail) => Message.annotationArgument({ function: name, argument: p.name, actual: formatShape(value.shape), annotated: shape.shape.text, detail }),
        what: `${name}'s argument ${p.name}`,
        where: p.name,
        function: name,
      });
    }
  }

  returned(func: FunctionValue, scope: Scope, result: Value): void {
    if (func.file !== this.file || !func.returns) return;
    const bindings = this.bindingsOf(scope);
    const annotation = func.returns;
    const items = tupleItems(annotation);
    const pairs: { ann: Expr; value: Value }[] = items && result.kind === "tuple" && result.items.length === items.length ? items.map((ann, i) => ({ ann, value: result.items[i] })) : [{ ann: annotation, value: result }];
    const body = Array.isArray(func.body) ? (func.body as readonly Stmt[]) : [];
    const returns = returnsIn(body);
    const primary = returns.length === 1 && returns[0].value ? returns[0].value.span : annotation.span;
    for (const { ann, value } of pairs) {
      const reading = this.read(ann);
      if (reading.kind !== "shape" || value.kind !== "tensor" || !value.shape) continue;
      const shape = reading.shape;
      const actual = value.shape;
      const related = primary === annotation.span ? [] : [{ location: { file: this.file, span: ann.span }, message: Related.annotatedHere({ annotated: shape.text }) }];
      const name = func.qualname;
      this.reportFindings(matchShape(shape, actual, bindings, "the result", { file: this.file, span: ann.span }), shape, actual, primary, related, {
        mismatch: (detail) => Message.annotationReturn({ function: name, actual: formatShape(actual), annotated: shape.text, detail }),
        what: `the result of ${name}`,
        where: "the result",
        function: name,
      });
    }
  }

  annotatedAssign(stmt: AnnAssignStmt, value: Value, scope: Scope): void {
    if (scope.file !== this.file || value.kind !== "tensor" || !value.shape) return;
    const reading = this.read(stmt.annotation);
    if (reading.kind !== "shape") return;
    const target = stmt.target.kind === "name" ? stmt.target.id : "the assigned tensor";
    const actual = value.shape;
    const shape = reading.shape;
    this.reportFindings(matchShape(shape, actual, this.bindingsOf(scope), target, { file: this.file, span: stmt.annotation.span }), shape, actual, stmt.span, [], {
      mismatch: (detail) => Message.annotationAssign({ target, actual: formatShape(actual), annotated: shape.text, detail }),
      what: target,
      where: target,
      function: "",
    });
  }

  private reportFindings(
    findings: readonly Finding[],
    annotation: ShapeAnnotation,
    actual: readonly Dim[],
    span: Span,
    related: RelatedLocation[],
    words: { mismatch: (detail: string) => DiagnosticMessage; what: string; where: string; function: string },
  ): void {
    const proven = findings.filter((f) => f.kind === "rank" || f.kind === "size");
    if (proven.length > 0) {
      const detail = proven.map((f) => (f.kind === "size" ? `dimension ${f.axis}: ${dimToString(f.actual)} is not ${dimToString(f.expected)}` : `${actual.length} dimensions, not ${annotation.dims.length}`)).join("; ");
      this.emit("error", words.mismatch(` (${detail})`), span, related);
      return;
    }
    for (const f of findings) {
      if (f.kind === "conflict") {
        const message = Message.annotationBinding({ function: words.function || "this call", name: f.name, first: dimToString(f.first.size), firstWhere: f.first.where, second: dimToString(f.actual), secondWhere: words.where });
        this.emit("error", message, span, [...related, { location: f.first.location, message: Related.boundHere({ name: f.name, size: dimToString(f.first.size) }) }]);
        return;
      }
    }
    const maybe = findings.find((f): f is Extract<Finding, { kind: "maybe" }> => f.kind === "maybe");
    if (!maybe) return;
    const order = [...dimVariables(maybe.actual)];
    if (typeof maybe.expected === "number") {
      const fit = inputsThatFit(maybe.actual, maybe.expected, order);
      if (fit.kind === "fits") this.emit("info", Message.annotationFits({ what: words.what, annotated: annotation.text, fits: fitText(fit), actual: formatShape(actual) }), span, related);
      else if (fit.kind === "none") this.emit("error", words.mismatch(` (dimension ${maybe.axis}: ${dimToString(maybe.actual)} is never ${maybe.expected}${fit.why})`), span, related);
      return;
    }
    this.emit("info", Message.annotationHoldsWhen({ what: words.what, annotated: annotation.text, condition: `${dimToString(maybe.actual)} = ${dimToString(maybe.expected)}`, actual: formatShape(actual) }), span, related);
  }

  private emit(severity: Severity, message: DiagnosticMessage, span: Span, related: RelatedLocation[]): void {
    const sink = diagnosticsOf(this.interp);
    const location = { file: this.file, span };
    // a function called many times says it once
    if (sink.some((d) => d.code === message.code && d.message === message.text && d.location.file === this.file && d.location.span.line === span.line && d.location.span.col === span.col)) return;
    const diagnostic: Diagnostic = { severity, code: message.code, message: message.text, location, related };
    sink.push(diagnostic);
  }
}
