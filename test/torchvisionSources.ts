// Where torchvision's Python sources are for the tests: $TORCHSHAPE_TORCHVISION,
// the installed Debian package, or the copy .ci/run extracts (scripts/torchvision_sources.sh);
// and the manifests in fixtures/torchvision that name the models to analyse from them.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");

export function torchvisionFolder(): string | undefined {
  const candidates = [
    process.env.TORCHSHAPE_TORCHVISION,
    "/usr/lib/python3/dist-packages/torchvision",
    join(root, ".cache", "torchvision", "usr", "lib", "python3", "dist-packages", "torchvision"),
  ];
  return candidates.find((c): c is string => !!c && existsSync(join(c, "models", "resnet.py")));
}

/** One model of a manifest in fixtures/torchvision: its builder's file and the call that builds it. */
export interface ManifestEntry {
  readonly name: string;
  /** relative to the torchvision package folder */
  readonly file: string;
  readonly model: string;
}

/** The models a manifest in fixtures/torchvision lists (models.json, detection.json). */
export function readManifest<Entry extends ManifestEntry>(name: string): Entry[] {
  return (JSON.parse(readFileSync(join(root, "fixtures", "torchvision", name), "utf8")) as { models: Entry[] }).models;
}
