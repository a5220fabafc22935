// `torchshape annotate FILE [--style jaxtyping|torchtyping|comment] [--check]`:
// write the inferred shapes into each model's forward signature and return type.
import { writeFileSync } from "node:fs";
import { Option, type Command } from "commander";
import { annotateFile } from "../annotate/annotateFile.js";
import { annotationStyles, type AnnotationStyle } from "../annotate/annotationEdits.js";
import { unifiedDiff } from "../annotate/lineDiff.js";

interface AnnotateOptions {
  style: AnnotationStyle;
  check?: boolean;
  searchPath: string[];
  python?: string;
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
