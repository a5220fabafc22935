// Which torchshape the extension runs: the `torchshape.serverPath` setting when set,
// else the server bundled in the .vsix (server/bin/torchshape.cjs, run by VS Code's
// own Node), else `torchshape` on the PATH (a development build without server/).
import { existsSync } from "node:fs";
import * as vscode from "vscode";

export type ServerCli = { readonly kind: "module"; readonly path: string } | { readonly kind: "command"; readonly command: string };

export function serverCli(context: vscode.ExtensionContext): ServerCli {
  const configured = vscode.workspace.getConfiguration("torchshape").get<string>("serverPath")?.trim();
  if (configured) return { kind: "command", command: configured };
  const bundled = context.asAbsolutePath("server/bin/torchshape.cjs");
  return existsSync(bundled) ? { kind: "module", path: bundled } : { kind: "command", command: "torchshape" };
}
