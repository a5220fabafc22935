// check: `torchshape check` on files and folders, its text (each diagnostic with its
// related places and its fix) then its JSON.
import { checkPaths } from "../../check/check.js";
import { findEnvironment } from "../../environment/discover.js";
import { renderCheckJson } from "../../report/checkJson.js";
import { renderCheckText } from "../../report/checkText.js";
import { searchPathsArgument, type TorchshapeTool } from "../tool.js";
import { existingPath } from "../toolFiles.js";

interface CheckArgs {
  paths: string[];
  search_paths?: string[];
}

export const checkTool: TorchshapeTool<CheckArgs> = {
  name: "check",
  title: "Shape errors before anything runs",
  description:
    "Finds shape errors in PyTorch code without running it: a Linear whose in_features does not match the flattened size, channels that do not match, a view that cannot fold, a cat or broadcast of mismatched sizes, and more. " +
    "Call it after editing model code, and before starting a training run, on the files or folders you changed. " +
    "Each diagnostic gives file:line:column, severity and code, a message naming the sizes and where they came from, the related places, and a fix (help). " +
    "It says what it could not analyse (a model needing constructor arguments, a missing package): that part is not verified clean. " +
    "Returns the text report, then the same as JSON.",
  arguments: (z) => ({
    paths: z.array(z.string()).min(1).describe("files (.py, .ipynb) and folders, absolute or relative to the folder the server was started in"),
    search_paths: searchPathsArgument(z),
  }),
  run(args) {
    const paths = args.paths.map((p) => existingPath(p, "file or folder"));
    const result = checkPaths(paths, { searchPaths: args.search_paths, environmentFor: (file) => findEnvironment(file) });
    return [renderCheckText(result), renderCheckJson(result)];
  },
};
