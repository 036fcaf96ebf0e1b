"""Reference timing for bench.sh: CPython's own parser on the same files.

usage: python3 ast_parse.py FILELIST OKLIST REPS
FILELIST holds NUL-separated paths. All files are read into memory first; only ast.parse() is
timed, REPS times over the whole set. Files that CPython cannot parse (Python 2 test data,
deliberate syntax errors) are left out and not timed. Writes the parsable paths to OKLIST
(NUL-separated) so that sqlasync is timed on exactly the same files. Prints one line:
"files BYTES ERRORS BEST_SECONDS MEAN_SECONDS".
"""
import ast
import sys
import time
import warnings


def main():
    filelist, oklist, reps = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(filelist, "rb") as f:
        paths = [p for p in f.read().split(b"\0") if p]
    sources, errors = [], 0
    warnings.simplefilter("ignore")
    for p in paths:
        with open(p, "rb") as f:
            data = f.read()
        try:
            ast.parse(data)
        except (SyntaxError, ValueError):
            errors += 1
            continue
        sources.append((p, data))
    with open(oklist, "wb") as f:
        f.write(b"\0".join(p for p, _ in sources) + b"\0")
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        for _, data in sources:
            ast.parse(data)
        times.append(time.perf_counter() - start)
    nbytes = sum(len(d) for _, d in sources)
    print(len(sources), nbytes, errors, min(times), sum(times) / len(times))


main()
