// What the CLI prints: process.stdout and process.stderr, quiet on a closed pipe, and
// the main thread's run held back until it is known to stand (bin/torchshape.cjs).
// Node builds those streams on first use, loading its stream machinery (and net for a
// pipe, tty for a terminal): `node -e "process.stdout; process.stderr"` takes 1.06x the
// time of `node -e 0` into a pipe. A run that only writes never builds them: what it held is
// written to the file descriptor directly. Anything else asked of them (isTTY, columns,
// on) builds the real stream, as does a write the descriptor refuses for now (a
// non-blocking pipe that is full), after which the rest goes through the stream, in order.
"use strict";
const { writeSync } = require("node:fs");

const fds = { stdout: 1, stderr: 2 };
/** each stream's own getter, wrapped: built on first use, as node does, and quiet on a closed pipe */
const real = {};
/** the streams a write has gone through: what follows must too, or it would overtake what they hold */
const throughStream = new Set();

function closedPipe(e) {
  return e && e.code === "EPIPE";
}

/** A reader that closed the pipe (`| head -1`) wants nothing more: stop quietly, with SIGPIPE's status (128 + 13), as the shell expects. */
function quietOnClosedPipe() {
  for (const name of Object.keys(fds)) {
    const descriptor = Object.getOwnPropertyDescriptor(process, name);
    let stream;
    real[name] = () => {
      if (!stream) {
        stream = descriptor.get.call(process);
        stream.on("error", (e) => {
          if (closedPipe(e)) process.exit(141);
          throw e;
        });
      }
      return stream;
    };
    Object.defineProperty(process, name, { configurable: true, enumerable: descriptor.enumerable, get: real[name] });
  }
}

function writeOut(name, chunk) {
  if (throughStream.has(name)) return void real[name]().write(chunk);
  const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
  let written = 0;
  try {
    while (written < bytes.length) written += writeSync(fds[name], bytes, written);
  } catch (e) {
    if (closedPipe(e)) process.exit(141);
    // EAGAIN and the like: the stream waits for the descriptor
    throughStream.add(name);
    real[name]().write(bytes.subarray(written));
  }
}

/**
 * Holds what is written to stdout and stderr until release(); other uses of them reach
 * the real streams. release() puts them back and gives what was held, in order, to
 * write with writeHeld() (or to drop).
 */
function holdOutput() {
  const held = [];
  for (const name of Object.keys(fds)) {
    const write = (chunk, encoding, callback) => {
      held.push([name, chunk]);
      if (typeof encoding === "function") encoding();
      else if (typeof callback === "function") callback();
      return true;
    };
    const holder = new Proxy(
      {},
      {
        get(_, key) {
          if (key === "write") return write;
          const stream = real[name]();
          const value = stream[key];
          return typeof value === "function" ? value.bind(stream) : value;
        },
        set(_, key, value) {
          real[name]()[key] = value;
          return true;
        },
      },
    );
    Object.defineProperty(process, name, { configurable: true, enumerable: true, get: () => holder });
  }
  return {
    release() {
      for (const name of Object.keys(fds)) Object.defineProperty(process, name, { configurable: true, enumerable: true, get: real[name] });
      return held;
    },
  };
}

function writeHeld(held) {
  for (const [name, chunk] of held) writeOut(name, chunk);
}

module.exports = { quietOnClosedPipe, holdOutput, writeHeld };
