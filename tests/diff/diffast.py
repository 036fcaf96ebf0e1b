#!/usr/bin/python3
"""Differential test: `sqlasync parse --dump --python 3.11 FILE` against CPython's
ast.dump(ast.parse(source_bytes), include_attributes=True), run with Debian's /usr/bin/python3.

Inputs: every .py file under the interpreter's stdlib (none skipped), every .py file under
tests/diff/cases/ (grammar corners and CPython 3.11 f-string position quirks; all must be
accepted by CPython 3.11) and every .py file under tests/golden/ that CPython accepts (golden
files it rejects hold 3.12-only syntax or error cases; they are counted and listed as skipped). A stdlib file CPython rejects must be rejected by us
too: exit status 1 and a `path:line:col: message` line on stderr.

Prints `files compared N, identical N, differing N, excepted N`, the first difference of up to
20 differing files (all of them, with more context, go to OUT/report.txt), and ends with
`diff: N passed, N failed` (passed = identical + excepted). Exits 1 on any difference not listed
in the exceptions file (`relative/path.py<TAB>reason`) and on stale entries (listed files that
are now identical or gone).
"""
import argparse
import ast
import multiprocessing
import os
import re
import subprocess
import sys
import time
import warnings

CONTEXT = 40        # characters shown on each side of the first difference in the listing
REPORT_CONTEXT = 300
MAX_LISTED = 20
TIMEOUT = 60        # seconds for one run of our binary

BIN = None


class CPythonFailed(Exception):
    """CPython could neither parse nor reject the file (e.g. RecursionError on deep nesting)."""


def cpython_dump(data):
    """Returns (dump, None) or (None, 'line:col: message') if CPython rejects the source."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            tree = ast.parse(data)
            return ast.dump(tree, include_attributes=True), None
        except (SyntaxError, ValueError) as e:
            line = getattr(e, "lineno", 0) or 0
            col = getattr(e, "offset", 0) or 0
            return None, "%s:%s: %s" % (line, col, getattr(e, "msg", str(e)))
        except (RecursionError, MemoryError) as e:
            raise CPythonFailed("%s: %s" % (type(e).__name__, e)) from None


def ours(path):
    """Returns (status, stdout, stderr) of our dump of path."""
    try:
        r = subprocess.run([BIN, "parse", "--dump", "--python", "3.11", path],
                           capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return "timeout", "", "timed out after %ds" % TIMEOUT
    except OSError as e:
        return "not run", "", "cannot run %s: %s" % (BIN, e)
    out = r.stdout.decode("utf-8", "replace")
    err = r.stderr.decode("utf-8", "replace")
    return r.returncode, out[:-1] if out.endswith("\n") else out, err


def first_diff(a, b):
    n = min(len(a), len(b))
    for i in range(n):
        if a[i] != b[i]:
            return i
    return n


def excerpt(s, i, width):
    lo = max(0, i - width)
    return ("..." if lo else "") + s[lo:i + width] + ("..." if i + width < len(s) else "")


def check(job):
    """Compares one file. Returns a dict: key, verdict (same, differ, skip), detail."""
    key, path, golden = job
    with open(path, "rb") as f:
        data = f.read()
    try:
        want, perr = cpython_dump(data)
    except CPythonFailed as e:
        if golden:
            return {"key": key, "verdict": "skip", "detail": "CPython 3.11 fails on it: %s" % e}
        return {"key": key, "verdict": "differ", "detail": "CPython 3.11 fails on it: %s" % e}
    if want is None and golden:
        return {"key": key, "verdict": "skip", "detail": "CPython 3.11 rejects it: " + perr}
    status, got, err = ours(path)
    res = {"key": key, "verdict": "same", "detail": ""}
    if status not in (0, 1):
        res.update(verdict="differ", detail="our parser crashed or hung (status %s): %s"
                   % (status, err.strip()[:300]))
    elif want is None:
        loc = re.compile(r"^%s:\d+:\d+: " % re.escape(path), re.M)
        if status == 0:
            res.update(verdict="differ", detail="CPython rejects (%s) but we accept" % perr)
        elif not loc.search(err):
            res.update(verdict="differ", detail="rejected without a path:line:col message: "
                       + err.strip()[:300])
        else:
            res["detail"] = "both reject: CPython %s | ours %s" % (perr, err.strip()[:200])
    elif status != 0:
        res.update(verdict="differ", detail="CPython accepts but we reject: " + err.strip()[:300])
    elif got != want:
        i = first_diff(got, want)
        res.update(verdict="differ", offset=i,
                   ours=excerpt(got, i, CONTEXT), cpython=excerpt(want, i, CONTEXT),
                   ours_long=excerpt(got, i, REPORT_CONTEXT),
                   cpython_long=excerpt(want, i, REPORT_CONTEXT),
                   detail="first difference at character %d of the dump" % i)
    return res


def walk_py(top):
    for root, dirs, files in os.walk(top):
        dirs.sort()
        for f in sorted(files):
            if f.endswith(".py"):
                yield os.path.join(root, f)


def collect(stdlib, cases, golden):
    """Jobs (key, path, golden) and the number of stdlib and case files."""
    jobs = [(os.path.relpath(p, stdlib), p, False) for p in walk_py(stdlib)]
    nstdlib = len(jobs)
    jobs += [(os.path.normpath(p), p, False) for p in walk_py(cases)]
    ncases = len(jobs) - nstdlib
    jobs += [(os.path.normpath(p), p, True) for p in walk_py(golden)]
    return jobs, nstdlib, ncases


def read_exceptions(path):
    out = {}
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            if "\t" not in line:
                sys.exit("%s:%d: expected 'relative/path.py<TAB>reason'" % (path, n))
            key, reason = line.split("\t", 1)
            out[key] = reason
    return out


def describe(r):
    lines = ["%s: %s" % (r["key"], r["detail"])]
    if "ours" in r:
        lines.append("  ours:    " + r["ours"])
        lines.append("  cpython: " + r["cpython"])
    return lines


def write_report(path, results, excepted, stale, summary):
    with open(path, "w", encoding="utf-8") as f:
        f.write(summary + "\n\n")
        for r in results:
            if r["verdict"] != "differ":
                continue
            tag = "EXCEPTED (%s)" % excepted[r["key"]] if r["key"] in excepted else "DIFFERS"
            f.write("== %s %s\n%s\n" % (tag, r["key"], r["detail"]))
            if "ours_long" in r:
                f.write("ours:    %s\ncpython: %s\n" % (r["ours_long"], r["cpython_long"]))
            f.write("\n")
        for key, why in stale:
            f.write("== STALE exception %s: %s\n" % (key, why))
        for r in results:
            if r["verdict"] == "skip":
                f.write("== SKIPPED %s: %s\n" % (r["key"], r["detail"]))


def main():
    global BIN
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--stdlib", required=True)
    ap.add_argument("--cases", default="tests/diff/cases")
    ap.add_argument("--golden", default="tests/golden")
    ap.add_argument("--exceptions", default="tests/diff/exceptions.txt")
    ap.add_argument("--out", default="build/diff")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("files", nargs="*", help="compare only these keys (debugging)")
    args = ap.parse_args()
    BIN = os.path.abspath(args.bin)
    sys.setrecursionlimit(20000)
    t0 = time.time()
    jobs, nstdlib, ncases = collect(args.stdlib, args.cases, args.golden)
    if args.files:
        jobs = [j for j in jobs if j[0] in args.files]
    exceptions = read_exceptions(args.exceptions)
    with multiprocessing.Pool(args.jobs, initializer=_init, initargs=(BIN,)) as pool:
        results = pool.map(check, jobs, chunksize=4)
    results.sort(key=lambda r: r["key"])

    differ = [r for r in results if r["verdict"] == "differ" and r["key"] not in exceptions]
    excepted = [r for r in results if r["verdict"] == "differ" and r["key"] in exceptions]
    same = [r for r in results if r["verdict"] == "same"]
    skipped = [r for r in results if r["verdict"] == "skip"]
    keys = {r["key"]: r for r in results}
    stale = []
    if not args.files:
        for key in sorted(exceptions):
            if key not in keys:
                stale.append((key, "no such file among the inputs"))
            elif keys[key]["verdict"] == "same":
                stale.append((key, "now identical: remove the entry"))

    compared = len(same) + len(differ) + len(excepted)
    summary = ("files compared %d, identical %d, differing %d, excepted %d"
               % (compared, len(same), len(differ), len(excepted)))
    os.makedirs(args.out, exist_ok=True)
    write_report(os.path.join(args.out, "report.txt"), results, exceptions, stale, summary)
    with open(os.path.join(args.out, "differing.txt"), "w") as f:
        f.writelines(r["key"] + "\n" for r in differ)

    for r in differ[:MAX_LISTED]:
        print("\n".join(describe(r)))
    if len(differ) > MAX_LISTED:
        print("... and %d more differing files (see %s)"
              % (len(differ) - MAX_LISTED, os.path.join(args.out, "report.txt")))
    for key, why in stale:
        print("stale exception %s: %s" % (key, why))
    print("inputs: %d stdlib files from %s, %d in %s, %d golden files (%d skipped: CPython 3.11 "
          "rejects them)" % (nstdlib, args.stdlib, ncases, args.cases,
                             len(jobs) - nstdlib - ncases, len(skipped)))
    print("time: %.1fs with %d processes" % (time.time() - t0, args.jobs))
    print(summary)
    failed = len(differ) + len(stale)
    print("diff: %d passed, %d failed" % (len(same) + len(excepted), failed))
    return 1 if failed else 0


def _init(binpath):
    global BIN
    BIN = binpath
    sys.setrecursionlimit(20000)


if __name__ == "__main__":
    sys.exit(main())
