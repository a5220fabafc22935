// `torchshape graph FILE [--model M] [--input ...] [--depth D] --format json|mermaid|dot|svg|html [-o out]`:
// the forward graph of one model, each edge labelled with its tensor's shape.
import { writeFileSync } from "node:fs";
import { Option, type Command } from "commander";
import { analyzeFile } from "../analysis/analyze.js";
import type { InputSpec } from "../analysis/summary.js";
import type { Environment } from "../environment/discover.js";
import { graphView, type GraphView } from "../graph/graphView.js";
import { renderGraph, graphFormats, type GraphFormat } from "../graph/render.js";
import { parseDepthOption, parseInputOptions } from "./optionParsers.js";
import { UsageError } from "./usageError.js";

interface GraphOptions {
  model?: string;
  input: string[];
  depth: string;
  format: GraphFormat;
  output?: string;
  searchPath: string[];
  python?: string;
  torchVersion?: string;
}

/** The graphs of a file's models (one with --model), folded below `depth`, and whether the analysis found shape errors. */
export function graphsOfFile(file: string, options: { model?: string; inputs?: InputSpec[]; depth: number; searchPaths?: string[]; environment?: Environment; torchVersion?: string }): { views: GraphView[]; errors: boolean } {
  const result = analyzeFile(file, { model: options.model, inputs: options.inputs, searchPaths: options.searchPaths, environment: options.environment, torchVersion: options.torchVersion, graph: true });
  if (result.models.length === 0) {
    const why = result.diagnostics.find((d) => d.severity === "error" || d.code === "build-error");
    throw new UsageError(`${file}: no model could be built${options.model ? ` from --model '${options.model}'` : ""}${why ? `: ${why.message}` : ""}`);
  }
  return { views: result.models.map((m) => graphView(m, result.diagnostics, options.depth)), errors: result.diagnostics.some((d) => d.severity === "error") };
}

/** -o FILE; a file that cannot be written is bad input, one line and exit 2. */
function writeOutput(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (e) {
    throw new UsageError(`cannot write ${file}: ${e instanceof Error && "code" in e ? String(e.code) : String(e)}`);
  }
}

export function registerGraphCommand(
  program: Command,
  out: (s: string) => void,
  setExit: (code: number | Promise<number>) => void,
  environmentOf: (python: string | undefined) => (file: string) => Environment,
  torchVersionOf: (text: string | undefined) => string | undefined,
): void {
  program
    .command("graph")
    .description("the forward graph of a model: layers, the operations between them, and each tensor's shape on its edge")
    .argument("<file>", "a Python file (or Jupyter notebook) with an nn.Module class")
    .option("-m, --model <expr>", 'which model: a class or factory name, or a call, e.g. "resnet18(num_classes=10)"')
    .option("-i, --input <shape>", "one forward() argument, batch included: 1,3,32,32 or N,3,H,W (repeatable)", (v: string, prev: string[]) => [...prev, v], [])
    .option("-d, --depth <n>", "module calls deeper than this are folded into one node", "3")
    .addOption(new Option("-f, --format <name>", "output format").choices([...graphFormats]).default("mermaid"))
    .option("-o, --output <file>", "write to this file instead of standard output")
    .option("--search-path <dir>", "extra folder for absolute imports (repeatable)", (v: string, prev: string[]) => [...prev, v], [])
    .option("--python <path>", "the Python whose installed packages resolve imports (an interpreter or a virtual environment's folder)")
    .option("--torch-version <version>", "the torch version to model (default: the environment's torch, else the latest stable release)")
    .action((file: string, opts: GraphOptions) => {
      const depth = parseDepthOption(opts.depth);
      const inputs = parseInputOptions(opts.input);
      const { views, errors } = graphsOfFile(file, { model: opts.model, inputs, depth, searchPaths: opts.searchPath, environment: environmentOf(opts.python)(file), torchVersion: torchVersionOf(opts.torchVersion) });
      if (views.length > 1 && opts.format !== "json")
        throw new UsageError(`${file} has ${views.length} models (${views.map((v) => v.model).join(", ")}): choose one with --model`);
      setExit(
        renderGraph(views, opts.format).then((text) => {
          if (opts.output) writeOutput(opts.output, text);
          else out(text);
          // the picture is drawn all the same; the exit code says shapes do not fit, as the summary's does
          return errors ? 1 : 0;
        }),
      );
    });
}
