"""Serializes CPython 3.12's AST of a file for tests/diff/dumpcheck.c (a check of ast_dump alone).

Usage: python3.12 tests/diff/dumpcheck_emit.py FILE > FILE.ast

Needs Python 3.12 or later (true f-string positions, PEP 701). Every node becomes
`(Kind start end fields...)` with byte offsets into the raw file, fields in _fields order (ast.def
order); None is `-`, a list `[ ... ]`, a string `s<hex of UTF-8>`, an int field `i<n>`, and a
constant value `v` + N T F E, `i<decimal>`, `f<float.hex()>`, `j<float.hex() of imag>`,
`s<hex>` or `b<hex>`. Strings keep lone surrogates (surrogatepass), as literal.c does.
"""
import ast
import sys


def line_starts(data):
    starts = [3 if data.startswith(b"\xef\xbb\xbf") else 0]
    i, n = 0, len(data)
    while i < n:
        c = data[i]
        if c == 0x0A or (c == 0x0D and not (i + 1 < n and data[i + 1] == 0x0A)):
            starts.append(i + 1)
        i += 1
    return starts


def hexs(s):
    return s.encode("utf-8", "surrogatepass").hex()


def const(v):
    if v is None:
        return "vN"
    if v is True:
        return "vT"
    if v is False:
        return "vF"
    if v is Ellipsis:
        return "vE"
    if isinstance(v, int):
        return "vi%d" % v
    if isinstance(v, float):
        return "vf" + v.hex()
    if isinstance(v, complex):
        return "vj" + v.imag.hex()
    if isinstance(v, str):
        return "vs" + hexs(v)
    if isinstance(v, bytes):
        return "vb" + v.hex()
    raise TypeError(type(v))


def emit(node, starts, out):
    if node is None:
        out.append("-")
        return
    if isinstance(node, list):
        out.append("[")
        for x in node:
            emit(x, starts, out)
        out.append("]")
        return
    if isinstance(node, str):
        out.append("s" + hexs(node))
        return
    if isinstance(node, int):
        out.append("i%d" % node)
        return
    name = type(node).__name__
    if not node._fields and not node._attributes:  # Load, Add, Eq, ...
        out.append("(%s)" % name)
        return
    if hasattr(node, "lineno") and node.lineno:
        s = starts[node.lineno - 1] + node.col_offset
        e = starts[node.end_lineno - 1] + node.end_col_offset
    else:
        s = e = 0
    out.append("(%s %d %d" % (name, s, e))
    for f in node._fields:
        v = getattr(node, f, None)
        if f == "value" and isinstance(node, (ast.Constant, ast.MatchSingleton)):
            out.append(const(v))
        else:
            emit(v, starts, out)
    out.append(")")


def main():
    data = open(sys.argv[1], "rb").read()
    tree = ast.parse(data)
    out = []
    emit(tree, line_starts(data), out)
    sys.stdout.write(" ".join(out) + "\n")


if __name__ == "__main__":
    main()
