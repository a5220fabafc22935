// `torchshape annotate FILE [--style jaxtyping|torchtyping|comment] [--check]`:
// write the inferred shapes into each model's forward signature and return type.
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { Option, type Command } from "commander";
import { analyzeFile, AnalysisInputError } from "../analysis/analyze.js";
import { annotationEdits, annotationStyles, applyEdits, type AnnotationStyle } from "../annotate/annotationEdits.js";
import { unifiedDiff } from "../annotate/lineDiff.js";
import { findEnvironment } from "../environment/discover.js";
import { parseTree } from "../parse/parser.js";
import { convertModule } from "../parse/toAst.js";

interface AnnotateOptions {
  style: AnnotationStyle;
  check?: boolean;
  searchPath: string[];
  python?: string;
}

/** The file's text with its models' shapes written in, and the text it had. */
export function annotateFile(file: string, style: AnnotationStyle, options: { searchPaths?: string[]; python?: string } = {}): { before: string; after: string } {
  let before: string;
  try {
    before = readFileSync(file, "utf8");
  } catch {
    throw new AnalysisInputError(`${file}: cannot read file`);
  }
  const result = analyzeFile(file, { source: before, allowNoModels: true, searchPaths: options.searchPaths, environment: findEnvironment(file, { python: options.python }) });
  const syntax = convertModule(parseTree(before).rootNode);
  const edits = annotationEdits(result, resolve(file), syntax, before, style);
  return { before, after: applyEdits(before, edits) };
}

export function registerAnnotateCommand(program: Command, out: (s: string) => void, setExit: (code: number) => void): void {
  program
    .command("annotate")
    .description("write the inferred shapes into each model's forward signature and return type (jaxtyping by default)")
    .argument("<file>", "a Python file with nn.Module classes")
    .addOption(new Option("--style <name>", "annotation style").choices([...annotationStyles]).default("jaxtyping"))
    .option("--check", "dry run: print the diff, exit 1 when the file would change")
    .option("--search-path <dir>", "extra folder for absolute imports (repeatable)", (v: string, prev: string[]) => [...prev, v], [])
    .option("--python <path>", "the Python whose installed packages resolve imports")
    .action((file: string, opts: AnnotateOptions) => {
      const { before, after } = annotateFile(file, opts.style, { searchPaths: opts.searchPath, python: opts.python });
      if (opts.check) {
        const diff = unifiedDiff(before, after, file);
        if (diff) out(diff);
        setExit(diff ? 1 : 0);
        return;
      }
      if (after !== before) writeFileSync(file, after);
      out(after !== before ? `annotated ${file}` : `${file}: nothing to annotate`);
      setExit(0);
    });
}
