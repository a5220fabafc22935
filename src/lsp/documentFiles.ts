// Document URIs ↔ file paths. The analysis works on paths (imports resolve from
// the file's folder); an unsaved buffer gets a path in the workspace root.
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export function fileOfUri(uri: string, workspaceRoot: string): string {
  if (uri.startsWith("file:")) {
    try {
      return fileURLToPath(uri);
    } catch {
      // fall through: a file URI node cannot map (another host)
    }
  }
  return resolve(workspaceRoot, "untitled.py");
}

/** The URI for a file: the document's own URI for its own file (clients compare URIs textually). */
export function uriMapper(documentUri: string, documentFile: string): (file: string) => string {
  return (file) => (file === documentFile ? documentUri : pathToFileURL(file).href);
}
