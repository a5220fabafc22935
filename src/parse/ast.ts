// A small typed Python syntax tree: what the evaluator walks. Built once from
// tree-sitter's concrete tree (see toAst.ts) so the interpreter never touches
// native nodes and every construct it meets has a type.

/** A source range, 0-based lines and columns (converted to 1-based only when reported). */
export interface Span {
  readonly line: number;
  readonly col: number;
  readonly endLine: number;
  readonly endCol: number;
}

interface Node {
  readonly span: Span;
}

export type Expr =
  | NameExpr
  | ConstantExpr
  | FStringExpr
  | AttributeExpr
  | SubscriptExpr
  | SliceExpr
  | CallExpr
  | BinOpExpr
  | UnaryOpExpr
  | BoolOpExpr
  | CompareExpr
  | IfExpExpr
  | LambdaExpr
  | SequenceExpr
  | DictExpr
  | ComprehensionExpr
  | StarredExpr
  | NamedExpr
  | UnsupportedExpr;

export interface NameExpr extends Node { readonly kind: "name"; readonly id: string }

export type ConstantValue =
  | { readonly type: "int"; readonly value: number }
  | { readonly type: "float"; readonly value: number }
  | { readonly type: "str"; readonly value: string }
  | { readonly type: "bool"; readonly value: boolean }
  | { readonly type: "none" }
  | { readonly type: "ellipsis" };

export interface ConstantExpr extends Node { readonly kind: "constant"; readonly value: ConstantValue }

/** An f-string: literal pieces and interpolated expressions, in order. */
export interface FStringExpr extends Node {
  readonly kind: "fstring";
  readonly parts: ReadonlyArray<string | { readonly expr: Expr; readonly conversion?: string; readonly format?: string }>;
}

export interface AttributeExpr extends Node { readonly kind: "attribute"; readonly value: Expr; readonly attr: string; readonly attrSpan: Span }
export interface SubscriptExpr extends Node { readonly kind: "subscript"; readonly value: Expr; readonly index: Expr }
export interface SliceExpr extends Node {
  readonly kind: "slice";
  readonly lower?: Expr;
  readonly upper?: Expr;
  readonly step?: Expr;
}

export interface Keyword extends Node {
  /** undefined for `**mapping` */
  readonly name?: string;
  readonly value: Expr;
}
export interface CallExpr extends Node {
  readonly kind: "call";
  readonly func: Expr;
  /** positional arguments; a StarredExpr is `*iterable` */
  readonly args: readonly Expr[];
  readonly keywords: readonly Keyword[];
}

export type BinaryOperator = "+" | "-" | "*" | "/" | "//" | "%" | "**" | "@" | "&" | "|" | "^" | "<<" | ">>";
export interface BinOpExpr extends Node { readonly kind: "binop"; readonly op: BinaryOperator; readonly left: Expr; readonly right: Expr }
export interface UnaryOpExpr extends Node { readonly kind: "unary"; readonly op: "-" | "+" | "~" | "not"; readonly operand: Expr }
export interface BoolOpExpr extends Node { readonly kind: "boolop"; readonly op: "and" | "or"; readonly left: Expr; readonly right: Expr }

export type CompareOperator = "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not in" | "is" | "is not";
export interface CompareExpr extends Node {
  readonly kind: "compare";
  readonly left: Expr;
  readonly ops: readonly CompareOperator[];
  readonly comparators: readonly Expr[];
}
export interface IfExpExpr extends Node { readonly kind: "ifexp"; readonly test: Expr; readonly body: Expr; readonly orelse: Expr }
export interface LambdaExpr extends Node { readonly kind: "lambda"; readonly params: readonly Parameter[]; readonly body: Expr }
export interface SequenceExpr extends Node { readonly kind: "list" | "tuple" | "set"; readonly elts: readonly Expr[] }
export interface DictExpr extends Node {
  readonly kind: "dict";
  /** key undefined: `**mapping` */
  readonly entries: ReadonlyArray<{ readonly key?: Expr; readonly value: Expr }>;
}
export interface Comprehension { readonly target: Expr; readonly iter: Expr; readonly ifs: readonly Expr[] }
export interface ComprehensionExpr extends Node {
  readonly kind: "listcomp" | "setcomp" | "genexp" | "dictcomp";
  readonly elt: Expr;
  /** only for dictcomp */
  readonly value?: Expr;
  readonly generators: readonly Comprehension[];
}
export interface StarredExpr extends Node { readonly kind: "starred"; readonly value: Expr; readonly double?: boolean }
export interface NamedExpr extends Node { readonly kind: "walrus"; readonly target: string; readonly value: Expr }
/** Syntax the evaluator does not model (await, yield, ...): evaluates to Unknown. */
export interface UnsupportedExpr extends Node { readonly kind: "unsupported"; readonly what: string }

export interface Parameter {
  readonly name: string;
  readonly kind: "normal" | "posonly" | "kwonly" | "varargs" | "varkw";
  readonly default?: Expr;
  /** `x: Float[Tensor, "b c"]` */
  readonly annotation?: Expr;
  readonly span: Span;
}

export type Stmt =
  | ExprStmt
  | AssignStmt
  | AugAssignStmt
  | AnnAssignStmt
  | ReturnStmt
  | IfStmt
  | ForStmt
  | WhileStmt
  | SimpleStmt
  | FunctionDef
  | ClassDef
  | ImportStmt
  | ImportFromStmt
  | RaiseStmt
  | AssertStmt
  | TryStmt
  | WithStmt
  | DeleteStmt
  | ScopeDeclStmt
  | UnsupportedStmt;

export interface ExprStmt extends Node { readonly kind: "expr"; readonly value: Expr }
export interface AssignStmt extends Node { readonly kind: "assign"; readonly targets: readonly Expr[]; readonly value: Expr }
export interface AugAssignStmt extends Node { readonly kind: "augassign"; readonly target: Expr; readonly op: BinaryOperator; readonly value: Expr }
export interface AnnAssignStmt extends Node { readonly kind: "annassign"; readonly target: Expr; readonly annotation: Expr; readonly value?: Expr }
export interface ReturnStmt extends Node { readonly kind: "return"; readonly value?: Expr }
export interface IfStmt extends Node { readonly kind: "if"; readonly test: Expr; readonly body: readonly Stmt[]; readonly orelse: readonly Stmt[] }
export interface ForStmt extends Node {
  readonly kind: "for";
  readonly target: Expr;
  readonly iter: Expr;
  readonly body: readonly Stmt[];
  readonly orelse: readonly Stmt[];
}
export interface WhileStmt extends Node { readonly kind: "while"; readonly test: Expr; readonly body: readonly Stmt[]; readonly orelse: readonly Stmt[] }
export interface SimpleStmt extends Node { readonly kind: "pass" | "break" | "continue" }
export interface FunctionDef extends Node {
  readonly kind: "def";
  readonly name: string;
  readonly nameSpan: Span;
  readonly params: readonly Parameter[];
  /** the return annotation: `-> ResNet` */
  readonly returns?: Expr;
  readonly body: readonly Stmt[];
  readonly decorators: readonly Expr[];
  /** the docstring-free first line of the body, for locating */
  readonly isAsync: boolean;
  /** the string literal that opens the body, as `__doc__` gives it */
  readonly docstring?: string;
}
export interface ClassDef extends Node {
  readonly kind: "class";
  readonly name: string;
  readonly nameSpan: Span;
  readonly bases: readonly Expr[];
  readonly keywords: readonly Keyword[];
  readonly body: readonly Stmt[];
  readonly decorators: readonly Expr[];
  /** the string literal that opens the body, as `__doc__` gives it */
  readonly docstring?: string;
}
export interface ImportAlias { readonly name: string; readonly asname?: string }
export interface ImportStmt extends Node { readonly kind: "import"; readonly names: readonly ImportAlias[] }
export interface ImportFromStmt extends Node {
  readonly kind: "importfrom";
  /** dotted module path without the leading dots; "" for `from . import x` */
  readonly module: string;
  /** number of leading dots */
  readonly level: number;
  /** empty for `import *` */
  readonly names: readonly ImportAlias[];
  readonly star: boolean;
}
export interface RaiseStmt extends Node { readonly kind: "raise"; readonly exc?: Expr }
export interface AssertStmt extends Node { readonly kind: "assert"; readonly test: Expr; readonly msg?: Expr }
export interface ExceptHandler { readonly type?: Expr; readonly name?: string; readonly body: readonly Stmt[]; readonly span: Span }
export interface TryStmt extends Node {
  readonly kind: "try";
  readonly body: readonly Stmt[];
  readonly handlers: readonly ExceptHandler[];
  readonly orelse: readonly Stmt[];
  readonly finalbody: readonly Stmt[];
}
export interface WithStmt extends Node {
  readonly kind: "with";
  readonly items: ReadonlyArray<{ readonly context: Expr; readonly target?: Expr }>;
  readonly body: readonly Stmt[];
}
export interface DeleteStmt extends Node { readonly kind: "delete"; readonly targets: readonly Expr[] }
export interface ScopeDeclStmt extends Node { readonly kind: "global" | "nonlocal"; readonly names: readonly string[] }
export interface UnsupportedStmt extends Node { readonly kind: "unsupported"; readonly what: string }

/** A parsed file. */
export interface PyModule {
  readonly body: readonly Stmt[];
  /** `# ...` comments by 0-based line, text without the `#` */
  readonly comments: ReadonlyMap<number, string>;
  readonly lineCount: number;
}
