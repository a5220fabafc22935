// Where torchvision's Python sources are for the tests: $TORCHSHAPE_TORCHVISION,
// the installed Debian package, or the copy .ci/run extracts (scripts/torchvision_sources.sh).
import { existsSync } from "node:fs";
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
