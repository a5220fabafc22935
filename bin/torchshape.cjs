#!/usr/bin/env node
// The CLI is one CommonJS bundle (dist/torchshape.cjs): loading one file
// synchronously, instead of ~100 ES modules, is most of a cold start.
"use strict";
process.exitCode = require("../dist/torchshape.cjs").main(process.argv.slice(2));
