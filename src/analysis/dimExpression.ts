// A dimension written as arithmetic in an annotation (jaxtyping's `n+1`, `h*w`,
// `c//2`): parsed once, evaluated against the sizes a call bound to the names.
import { dimAdd, dimFloorDiv, dimMul, dimSub, type Dim } from "../shapes/dim.js";

export type DimExpression =
  | { readonly kind: "int"; readonly value: number }
  | { readonly kind: "name"; readonly name: string }
  | { readonly kind: "op"; readonly op: "+" | "-" | "*" | "//"; readonly left: DimExpression; readonly right: DimExpression };

/** Parse `n+1`; a string says why it does not parse. */
export function parseDimExpression(text: string): DimExpression | string {
  const tokens = text.match(/\d+|[A-Za-z_]\w*|\/\/|[-+*()]|\S/g) ?? [];
  let at = 0;
  const fail = (why: string): never => {
    throw new DimExpressionError(why);
  };
  const primary = (): DimExpression => {
    const t = tokens[at++];
    if (t === undefined) return fail("ends too early");
    if (/^\d+$/.test(t)) return { kind: "int", value: Number(t) };
    if (/^[A-Za-z_]\w*$/.test(t)) return { kind: "name", name: t };
    if (t === "(") {
      const inner = sum();
      if (tokens[at++] !== ")") fail("has an unclosed '('");
      return inner;
    }
    return fail(`has an unexpected '${t}'`);
  };
  const product = (): DimExpression => {
    let left = primary();
    while (tokens[at] === "*" || tokens[at] === "//") {
      const op = tokens[at++] as "*" | "//";
      left = { kind: "op", op, left, right: primary() };
    }
    return left;
  };
  const sum = (): DimExpression => {
    let left = product();
    while (tokens[at] === "+" || tokens[at] === "-") {
      const op = tokens[at++] as "+" | "-";
      left = { kind: "op", op, left, right: product() };
    }
    return left;
  };
  try {
    const expression = sum();
    if (at < tokens.length) fail(`has an unexpected '${tokens[at]}'`);
    return expression;
  } catch (e) {
    if (e instanceof DimExpressionError) return e.message;
    throw e;
  }
}

class DimExpressionError extends Error {}

/** The names an expression uses. */
export function dimExpressionNames(e: DimExpression): string[] {
  if (e.kind === "name") return [e.name];
  if (e.kind === "op") return [...dimExpressionNames(e.left), ...dimExpressionNames(e.right)];
  return [];
}

/** Its size, given the sizes of its names; undefined when a name has none. */
export function evaluateDimExpression(e: DimExpression, sizeOf: (name: string) => Dim | undefined): Dim | undefined {
  if (e.kind === "int") return e.value;
  if (e.kind === "name") return sizeOf(e.name);
  const left = evaluateDimExpression(e.left, sizeOf);
  const right = evaluateDimExpression(e.right, sizeOf);
  if (left === undefined || right === undefined) return undefined;
  switch (e.op) {
    case "+":
      return dimAdd(left, right);
    case "-":
      return dimSub(left, right);
    case "*":
      return dimMul(left, right);
    case "//":
      return dimFloorDiv(left, right);
  }
}
