// Shape annotations as inputs: a forward (or any function) whose arguments are
// annotated needs no other input. Named dimensions become symbolic dimensions of
// that name, shared across the signature; fixed sizes are concrete.
import type { ClassDef, FunctionDef, Parameter, PyModule } from "../parse/ast.js";
import { SymDim, type Dim } from "../shapes/dim.js";
import { evaluateDimExpression } from "./dimExpression.js";
import { annotationVocabulary, readShapeAnnotation, type ShapeAnnotation } from "./shapeAnnotations.js";
import type { InputSpec } from "./summary.js";

/** The input an annotation gives: undefined when its rank is not fixed (`*batch`, `...`). */
export function inputFromAnnotation(shape: ShapeAnnotation, parameter: string): InputSpec | undefined {
  if (shape.dims.some((d) => d.kind === "variadic")) return undefined;
  const named = (n: string): Dim => SymDim.variable(n);
  const dims: Dim[] = shape.dims.map((d, axis) => {
    switch (d.kind) {
      case "size":
        return d.size;
      case "name":
        return named(d.name);
      case "expression":
        return evaluateDimExpression(d.expression, named) ?? SymDim.variable(`${parameter}_${axis}`);
      default:
        return SymDim.variable(`${parameter}_${axis}`);
    }
  });
  return shape.dtype ? { shape: dims, dtype: shape.dtype } : { shape: dims, dtype: "float32", dtypeAssumed: true };
}

/** Each positional parameter's input from its annotation (undefined where it has none, or none that fixes a rank). */
export function annotatedParameterInputs(syntax: PyModule, params: readonly Parameter[]): (InputSpec | undefined)[] {
  const vocabulary = annotationVocabulary(syntax);
  return params
    .filter((p) => p.kind === "normal" || p.kind === "posonly")
    .map((p) => {
      const reading = p.annotation ? readShapeAnnotation(p.annotation, vocabulary) : undefined;
      return reading?.kind === "shape" ? inputFromAnnotation(reading.shape, p.name) : undefined;
    });
}

/** The forward a class defines itself. */
export function forwardOf(def: ClassDef): FunctionDef | undefined {
  return def.body.find((s): s is FunctionDef => s.kind === "def" && s.name === "forward");
}

/** A model's inputs from its forward's annotations: every required argument annotated with a fixed rank. */
export function inputsFromAnnotations(syntax: PyModule, def: ClassDef): { inputs: InputSpec[]; source: string } | undefined {
  const forward = forwardOf(def);
  if (!forward) return undefined;
  const positional = forward.params.filter((p) => p.kind === "normal" || p.kind === "posonly").slice(1);
  const required = positional.filter((p) => !p.default);
  if (required.length === 0) return undefined;
  const specs = annotatedParameterInputs(syntax, required);
  if (specs.some((s) => s === undefined)) return undefined;
  return { inputs: specs as InputSpec[], source: "annotation" };
}
