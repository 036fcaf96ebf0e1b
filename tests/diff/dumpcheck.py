#!/usr/bin/python3
"""Checks ast_dump alone (no parser): for each file, CPython 3.12's tree (true positions) is
serialized by dumpcheck_emit.py, rebuilt and dumped by build/dumpcheck in 3.11 layout, and
compared with /usr/bin/python3 (3.11)'s ast.dump(..., include_attributes=True).

Usage: /usr/bin/python3 tests/diff/dumpcheck.py --py312 PATH/TO/python3.12 [--layout 3.12]
       [FILES or DIRS...]
(default: the whole stdlib). With --layout 3.12 the dump in 3.12 layout is compared with the
3.12 interpreter's own ast.dump. A developer tool: it needs a Python 3.12 interpreter, which CI
does not have. Prints the first difference of each differing file and a final count line.
"""
import argparse
import ast
import multiprocessing
import os
import subprocess
import sys
import sysconfig
import warnings

ARGS = None


DUMP312 = ("import ast, sys, warnings; warnings.simplefilter('ignore'); sys.setrecursionlimit(20000);"
           "print(ast.dump(ast.parse(open(sys.argv[1], 'rb').read()), include_attributes=True))")


def expected(path):
    """CPython's dump of path in the layout checked, or None if CPython rejects the file."""
    if ARGS.layout == "3.12":
        r = subprocess.run([ARGS.py312, "-c", DUMP312, path], capture_output=True)
        return r.stdout.decode("utf-8", "replace").rstrip("\n") if r.returncode == 0 else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ast.dump(ast.parse(open(path, "rb").read()), include_attributes=True)
        except SyntaxError:
            return None


def check(path):
    want = expected(path)
    if want is None:
        return path, None
    here = os.path.dirname(os.path.abspath(__file__))
    emit = subprocess.run([ARGS.py312, os.path.join(here, "dumpcheck_emit.py"), path],
                          capture_output=True)
    if emit.returncode != 0:
        return path, "emitter failed: " + emit.stderr.decode()[-300:]
    got = subprocess.run([ARGS.bin, "--python", ARGS.layout, path], input=emit.stdout,
                         capture_output=True)
    if got.returncode != 0:
        return path, "dumpcheck failed: " + got.stderr.decode()[-300:]
    g = got.stdout.decode("utf-8", "replace").rstrip("\n")
    if g == want:
        return path, None
    i = next((k for k in range(min(len(g), len(want))) if g[k] != want[k]), min(len(g), len(want)))
    return path, "at %d\n  ours:    %s\n  cpython: %s" % (i, g[max(0, i - 60):i + 60],
                                                        want[max(0, i - 60):i + 60])


def files(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, fs in os.walk(p):
                dirs.sort()
                for f in sorted(fs):
                    if f.endswith(".py"):
                        yield os.path.join(root, f)
        else:
            yield p


def init(args):
    global ARGS
    ARGS = args
    sys.setrecursionlimit(20000)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--py312", required=True)
    ap.add_argument("--bin", default="build/dumpcheck")
    ap.add_argument("--layout", default="3.11", choices=["3.11", "3.12"])
    ap.add_argument("paths", nargs="*")
    args = ap.parse_args()
    paths = args.paths or [sysconfig.get_paths()["stdlib"]]
    todo = list(files(paths))
    with multiprocessing.Pool(2, initializer=init, initargs=(args,)) as pool:
        results = pool.map(check, todo, chunksize=4)
    bad = [(p, why) for p, why in results if why]
    for p, why in bad:
        print("%s: %s" % (p, why))
    print("dumpcheck: %d passed, %d failed" % (len(results) - len(bad), len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
