// One side of an einops pattern ('b c (h p1) (w p2)'), parsed as einops'
// ParsedExpression parses it: axes by name, groups in parentheses, one ellipsis,
// anonymous axes (numbers; 1 outside parentheses is a unit axis, inside it is
// nothing). Malformed text raises EinopsError with einops' own wording.
import { PyException } from "../../eval/errors.js";

export const ELLIPSIS = "…";

/** A number in a pattern: an axis of that length, distinct from every other (two 3s are two axes). */
export interface AnonymousAxis {
  readonly size: number;
}

export type Axis = string | AnonymousAxis;

/** An axis of the tensor as written: a group of elementary axes ([] for `()` and a lone 1), or the ellipsis. */
export type Composite = readonly Axis[] | typeof ELLIPSIS;

export interface ParsedExpression {
  readonly text: string;
  readonly hasEllipsis: boolean;
  /** the ellipsis stands inside parentheses: `(...)` */
  readonly hasEllipsisParenthesized: boolean;
  readonly identifiers: ReadonlySet<Axis>;
  readonly hasNonUnitaryAnonymousAxes: boolean;
  readonly composition: readonly Composite[];
}

/** einops raises EinopsError (a RuntimeError) for every pattern fault. */
export function einopsError(message: string): PyException {
  return new PyException("EinopsError", message);
}

export function axisText(axis: Axis): string {
  return typeof axis === "string" ? (axis === ELLIPSIS ? "..." : axis) : String(axis.size);
}

/** Why a name is no axis name, or undefined when it is one (einops' check_axis_name_return_reason). */
export function axisNameProblem(name: string, allowUnderscore = false): string | undefined {
  if (!/^[\p{L}_][\p{L}\p{N}_]*$/u.test(name)) return "not a valid python identifier";
  if (name.startsWith("_") || name.endsWith("_")) return name === "_" && allowUnderscore ? undefined : "axis name should should not start or end with underscore";
  return undefined;
}

export function parseExpression(expression: string, options: { allowUnderscore?: boolean; allowDuplicates?: boolean } = {}): ParsedExpression {
  let text = expression;
  let hasEllipsis = false;
  let hasEllipsisParenthesized = false;
  const identifiers = new Set<Axis>();
  let hasNonUnitaryAnonymousAxes = false;
  const composition: Composite[] = [];
  if (text.includes(".")) {
    if (!text.includes("...")) throw einopsError("Expression may contain dots only inside ellipsis (...)");
    if (text.split("...").length !== 2 || text.split(".").length !== 4) throw einopsError("Expression may contain dots only inside ellipsis (...); only one ellipsis for tensor ");
    text = text.replace("...", ELLIPSIS);
    hasEllipsis = true;
  }
  let bracket: Axis[] | undefined;
  const addAxis = (x: string) => {
    if (identifiers.has(x) && !(options.allowUnderscore && x === "_") && !options.allowDuplicates) throw einopsError(`Indexing expression contains duplicate dimension "${x}"`);
    if (x === ELLIPSIS) {
      identifiers.add(ELLIPSIS);
      if (bracket === undefined) composition.push(ELLIPSIS);
      else {
        bracket.push(ELLIPSIS);
        hasEllipsisParenthesized = true;
      }
      return;
    }
    const isNumber = /^\d+$/.test(x);
    if (isNumber && Number(x) === 1) {
      if (bracket === undefined) composition.push([]);
      return;
    }
    const problem = axisNameProblem(x, options.allowUnderscore);
    if (!isNumber && problem !== undefined) throw einopsError(`Invalid axis identifier: ${x}\n${problem}`);
    let axis: Axis = x;
    if (isNumber) {
      const size = Number(x);
      if (size <= 1) throw einopsError(`Anonymous axis should have positive length, not ${size}`);
      axis = { size };
      hasNonUnitaryAnonymousAxes = true;
    }
    identifiers.add(axis);
    if (bracket === undefined) composition.push([axis]);
    else bracket.push(axis);
  };
  let current: string | undefined;
  for (const char of text) {
    if (char === "(" || char === ")" || char === " ") {
      if (current !== undefined) addAxis(current);
      current = undefined;
      if (char === "(") {
        if (bracket !== undefined) throw einopsError("Axis composition is one-level (brackets inside brackets not allowed)");
        bracket = [];
      } else if (char === ")") {
        if (bracket === undefined) throw einopsError("Brackets are not balanced");
        composition.push(bracket);
        bracket = undefined;
      }
    } else if (/[\p{L}\p{N}_]/u.test(char) || char === ELLIPSIS) {
      current = (current ?? "") + char;
    } else {
      throw einopsError(`Unknown character '${char}'`);
    }
  }
  if (bracket !== undefined) throw einopsError(`Imbalanced parentheses in expression: "${text}"`);
  if (current !== undefined) addAxis(current);
  return { text: expression, hasEllipsis, hasEllipsisParenthesized, identifiers, hasNonUnitaryAnonymousAxes, composition };
}

/** A group as written: "(h p1)", "c", "()". */
export function compositeText(c: Composite): string {
  if (c === ELLIPSIS) return "...";
  return c.length === 1 ? axisText(c[0]) : `(${c.map(axisText).join(" ")})`;
}

/** 'a b -> c': the two sides; einops splits on the one arrow. */
export function splitArrow(pattern: string): [string, string] {
  const parts = pattern.split("->");
  if (parts.length !== 2) throw new PyException("ValueError", parts.length < 2 ? "not enough values to unpack (expected 2, got 1)" : "too many values to unpack (expected 2)");
  return [parts[0], parts[1]];
}
