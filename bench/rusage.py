#!/usr/bin/env python3
"""Runs one command as a child process and prints what it cost as one JSON line:
wall seconds (fork to reaping), user and system CPU seconds and peak memory (kB)
from the kernel's own accounting of the child (os.wait4). bench/run.js starts it
once per measured run, so that CPU time is measured beside wall time; Python's own
start is outside the measurement.

  python3 bench/rusage.py [--env NAME=VALUE ...] [--stdout FILE] -- COMMAND [ARG ...]

The command's output is thrown away unless --stdout names a file to keep it in.
"""
import json
import os
import sys
import time


def main():
    args = sys.argv[1:]
    env = dict(os.environ)
    stdout = os.devnull
    while args and args[0] in ("--env", "--stdout"):
        if args[0] == "--env":
            name, _, value = args[1].partition("=")
            env[name] = value
        else:
            stdout = args[1]
        args = args[2:]
    if not args or args[0] != "--":
        sys.exit("usage: rusage.py [--env NAME=VALUE ...] [--stdout FILE] -- COMMAND [ARG ...]")
    command = args[1:]
    devnull = os.open(os.devnull, os.O_RDWR)
    out = os.open(stdout, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.dup2(devnull, 0)
        os.dup2(out, 1)
        try:
            os.execvpe(command[0], command, env)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    print(json.dumps({"wall": wall, "user": usage.ru_utime, "sys": usage.ru_stime, "maxrss_kb": usage.ru_maxrss, "status": os.waitstatus_to_exitcode(status)}))


if __name__ == "__main__":
    main()
