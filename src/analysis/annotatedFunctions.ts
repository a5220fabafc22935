// Functions, not only modules: a top-level function of the checked file with at
// least one shape-annotated tensor argument (an attention helper, a loss) is run
// once with those arguments, so the rules, the annotation checks, hovers and
// inlay hints reach inside it as they reach inside forward.
import { BudgetExceeded, PyException } from "../eval/errors.js";
import { forceValue, type Value } from "../eval/values.js";
import type { FunctionDef } from "../parse/ast.js";
import { makeTensor } from "../shapes/tensor.js";
import { diagnosticsOf, setMessageFacts } from "../torch/ruleContext.js";
import { annotatedParameterInputs } from "./annotationInputs.js";
import type { Session } from "./session.js";
import type { FunctionSummary } from "./summary.js";
import { reportedShapeOf } from "./tracer.js";

/** The top-level functions with a shape-annotated argument. */
export function annotatedFunctionDefs(session: Session): FunctionDef[] {
  return session.main.syntax.body.filter((s): s is FunctionDef => s.kind === "def" && annotatedParameterInputs(session.main.syntax, s.params).some((i) => i !== undefined));
}

/** Run one annotated function with the tensors its annotations describe. */
export function analyseAnnotatedFunction(session: Session, def: FunctionDef): FunctionSummary | undefined {
  const { interp, main } = session;
  const bound = main.scope.vars.get(def.name);
  const fn = bound ? forceValue(bound) : undefined;
  if (fn?.kind !== "function") return undefined;
  const positional = def.params.filter((p) => p.kind === "normal" || p.kind === "posonly");
  const specs = annotatedParameterInputs(main.syntax, positional);
  const kwargs = new Map<string, Value>();
  positional.forEach((p, i) => {
    const spec = specs[i];
    if (spec) kwargs.set(p.name, makeTensor(spec.shape, spec.dtype, spec.dtypeAssumed ? { dtypeAssumed: true } : {}));
    else if (!p.default) kwargs.set(p.name, { kind: "unknown", why: `argument ${p.name} has no shape annotation` });
  });
  const assignments: { name: string; location: FunctionSummary["assignments"][number]["location"]; shape: FunctionSummary["assignments"][number]["shape"] }[] = [];
  interp.onAssign = (name, value, location) => {
    if (value.kind === "tensor" || value.kind === "tuple") assignments.push({ name, location, shape: reportedShapeOf(value) });
  };
  const tensors = [...kwargs.values()].filter((v) => v.kind === "tensor");
  setMessageFacts(interp, { moduleName: () => undefined, sourceText: session.sourceText, inputs: tensors });
  const sink = diagnosticsOf(interp);
  const first = sink.length;
  let output: Value = { kind: "unknown", why: "the function did not run" };
  let incomplete: string | undefined;
  try {
    output = interp.callValue(fn, [], kwargs, { file: main.file, span: def.nameSpan });
  } catch (e) {
    if (e instanceof PyException) {
      incomplete = `raised ${e.pyType}: ${e.pyMessage}`;
      interp.note(`${def.name}: ${incomplete}`, e.location ?? interp.site);
    } else if (e instanceof BudgetExceeded) incomplete = e.message;
    else throw e;
  } finally {
    interp.onAssign = undefined;
    setMessageFacts(interp, undefined);
  }
  for (const d of sink.slice(first)) d.model ??= def.name;
  return {
    name: def.name,
    file: main.file,
    line: def.span.line + 1,
    inputs: positional.flatMap((p, i) => (specs[i] ? [{ name: p.name, ...specs[i] }] : [])),
    outputShape: reportedShapeOf(output),
    assignments,
    ...(incomplete ? { incomplete } : {}),
  };
}

export function analyseAnnotatedFunctions(session: Session, budget?: () => void): FunctionSummary[] {
  const out: FunctionSummary[] = [];
  for (const def of annotatedFunctionDefs(session)) {
    budget?.();
    const summary = analyseAnnotatedFunction(session, def);
    if (summary) out.push(summary);
  }
  return out;
}
