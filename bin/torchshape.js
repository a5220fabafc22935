#!/usr/bin/env node
// The CLI is one bundle (dist/torchshape.mjs): loading one file instead of ~80 modules halves cold start.
import { main } from "../dist/torchshape.mjs";
process.exitCode = main(process.argv.slice(2));
