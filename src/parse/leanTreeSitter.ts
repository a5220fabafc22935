// tree-sitter's node binding (0.25, pinned), loaded with three of its costs taken off
// what torchshape reads of a tree. Each is a fact of the binding's own code:
//   - setLanguage builds a class per node type with a getter per field, comparing every
//     type with every entry of node-types.json and compiling each class with new
//     Function: 7 ms, every time tree-sitter is loaded. Nothing here reads those
//     getters; the classes are built instead with only what they are for, the type
//     name on the prototype (a node's type is then no call into the binding).
//   - every node object handed to JavaScript is registered in the tree's native cache
//     with a weak reference and a finalizer, so that the same node is always the same
//     object. Nothing here compares nodes by identity (an id when it must: its
//     value), and that registration was a seventh of parsing and converting a file.
//   - a node object holds its start as tree-sitter keeps it (byte offset, row, column:
//     UTF-16 bytes, halved by the binding's getters): startIndex and startPosition are
//     read from it instead of from the binding.
// Where the binding is not as described (another version), it is used as it comes.
// test/parse/leanTreeSitter.test.ts holds every node's type and start to the binding's.
import { createRequire } from "node:module";
import { dirname, sep } from "node:path";
import type Parser from "tree-sitter";

type Binding = { getNodeTypeNamesById?: (language: unknown) => unknown };
type NodeClass = abstract new (...args: never[]) => Parser.SyntaxNode;
/** The module's classes as its index.js exports them (its typings declare them as interfaces). */
type BindingClasses = { readonly SyntaxNode: NodeClass; readonly Tree: { readonly prototype: object } };

/** The binding's native module, as tree-sitter's index.js loaded it (its require cache). */
function nativeBinding(load: NodeJS.Require): Binding | undefined {
  let packageDir: string;
  try {
    packageDir = dirname(load.resolve("tree-sitter/package.json")) + sep;
  } catch {
    return undefined;
  }
  for (const [file, module] of Object.entries(load.cache)) if (file.startsWith(packageDir) && file.endsWith(".node")) return module?.exports as Binding;
  return undefined;
}

/** What the binding's own getters read, kept for the test. */
export const bindingGetters: { startIndex?: PropertyDescriptor; startPosition?: PropertyDescriptor; type?: PropertyDescriptor } = {};

function leanNodeClasses(TreeSitter: typeof Parser, language: Parser.Language, binding: Binding | undefined): void {
  const languageWithClasses = language as Parser.Language & { nodeSubclasses?: unknown };
  if (languageWithClasses.nodeSubclasses || typeof binding?.getNodeTypeNamesById !== "function") return;
  const names = binding.getNodeTypeNamesById(language);
  if (!Array.isArray(names)) return;
  const { SyntaxNode } = TreeSitter as unknown as BindingClasses;
  languageWithClasses.nodeSubclasses = names.map((name: unknown) => {
    if (typeof name !== "string" || !name) return SyntaxNode;
    const TypedNode = class extends SyntaxNode {};
    Object.defineProperty(TypedNode.prototype, "type", { value: name, enumerable: true });
    return TypedNode;
  });
}

function withoutNodeIdentity(TreeSitter: typeof Parser): void {
  const tree = (TreeSitter as unknown as BindingClasses).Tree.prototype as { _cacheNode?: unknown; _cacheNodes?: unknown };
  if (typeof tree._cacheNode !== "function" || typeof tree._cacheNodes !== "function") return;
  tree._cacheNode = () => {};
  tree._cacheNodes = () => {};
}

/** A node object's fields 2-4: tree-sitter's start byte (UTF-16), row and column (UTF-16 bytes), as the binding marshals them. */
function startsFromFields(TreeSitter: typeof Parser): void {
  const proto = (TreeSitter as unknown as BindingClasses).SyntaxNode.prototype as object;
  const startIndex = Object.getOwnPropertyDescriptor(proto, "startIndex");
  const startPosition = Object.getOwnPropertyDescriptor(proto, "startPosition");
  if (!startIndex?.get || !startPosition?.get) return;
  bindingGetters.startIndex = startIndex;
  bindingGetters.startPosition = startPosition;
  bindingGetters.type = Object.getOwnPropertyDescriptor(proto, "type");
  Object.defineProperty(proto, "startIndex", {
    configurable: true,
    get(this: Record<number, number>) {
      return this[2]! >>> 1;
    },
  });
  Object.defineProperty(proto, "startPosition", {
    configurable: true,
    get(this: Record<number, number>) {
      return { row: this[3]!, column: this[4]! >>> 1 };
    },
  });
}

let loaded: { TreeSitter: typeof Parser; python: Parser.Language } | undefined;

/** tree-sitter and its Python grammar, loaded once, lean where the binding allows. */
export function loadTreeSitter(): { TreeSitter: typeof Parser; python: Parser.Language } {
  if (!loaded) {
    const load = createRequire(import.meta.url);
    const TreeSitter = load("tree-sitter") as typeof Parser;
    const python = load("tree-sitter-python") as Parser.Language;
    // the binding as it comes: for the test that holds conversions to be the same
    if (process.env.TORCHSHAPE_PLAIN_TREE_SITTER !== "1") {
      leanNodeClasses(TreeSitter, python, nativeBinding(load));
      withoutNodeIdentity(TreeSitter);
      startsFromFields(TreeSitter);
    }
    loaded = { TreeSitter, python };
  }
  return loaded;
}
