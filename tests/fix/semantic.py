#!/usr/bin/env python3
"""Semantic tests of the Query -> select() rewrite.

For every golden case tests/golden/rewrite/<case>.py and its rewritten form <case>.expected
(what `sqlasync fix` wrote), every public function whose first parameter is `session` is run
twice against a freshly seeded SQLite database with SQLAlchemy 2.0: once in its original form,
once in its rewritten form. The two runs must return the same value (ORM objects compared by
class, identity and column values; rows as tuples; floats rounded), raise the same exception
type, and leave the database in the same state.

usage: PYTHONPATH=<from tests/pyenv/setup.sh> /usr/bin/python3 tests/fix/semantic.py [CASE...]
Prints each difference, then "semantic: N passed, N failed".
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import inspect
import os
import sys
import tempfile
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "..", "golden", "rewrite")
sys.path.insert(0, HERE)

warnings.simplefilter("ignore")

from sqlalchemy import inspect as sa_inspect  # noqa: E402
from sqlalchemy.engine import Row  # noqa: E402
from sqlalchemy.orm import Query, Session  # noqa: E402

import rwmodels  # noqa: E402


def load(path: str, name: str):
    loader = importlib.machinery.SourceFileLoader(name, path)
    spec = importlib.util.spec_from_loader(name, loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


def norm(v):
    if isinstance(v, Row):
        return ("row",) + tuple(norm(x) for x in v)
    if isinstance(v, (list, tuple)):
        return [norm(x) for x in v]
    if isinstance(v, dict):
        return sorted((norm(k), norm(x)) for k, x in v.items())
    if isinstance(v, float):
        return round(v, 9)
    if isinstance(v, Query):
        return ("query", norm(v.all()))
    if hasattr(v, "__mapper__"):
        state = sa_inspect(v)
        cols = {a.key: norm(getattr(v, a.key)) for a in state.mapper.column_attrs}
        return (type(v).__name__, tuple(state.identity or ()), sorted(cols.items()))
    return v


def db_state(engine):
    out = {}
    with engine.connect() as conn:
        for table in rwmodels.Base.metadata.sorted_tables:
            rows = conn.execute(table.select()).all()
            out[table.name] = sorted(tuple(r) for r in rows)
    return out


def run(fn):
    """Runs fn(session) on a fresh database: (outcome, database state)."""
    with tempfile.TemporaryDirectory() as tmp:
        engine = rwmodels.make_engine("sqlite:///" + os.path.join(tmp, "db.sqlite"))
        with Session(engine) as s:
            rwmodels.seed(s)
        with Session(engine) as s:
            try:
                outcome = ("value", norm(fn(s)))
            except Exception as e:  # noqa: BLE001 - the exception type is the result
                outcome = ("raises", type(e).__name__)
        state = db_state(engine)
        engine.dispose()
    return outcome, state


def runnable(fn) -> bool:
    if fn.__name__.startswith("_") or not inspect.isfunction(fn):
        return False
    if inspect.iscoroutinefunction(fn):
        return False
    params = list(inspect.signature(fn).parameters.values())
    if not params or params[0].name != "session":
        return False
    return all(p.default is not p.empty for p in params[1:])


def check_case(name: str) -> tuple[int, int, int]:
    before = load(os.path.join(CASES, name + ".py"), "rw_before_" + name)
    after = load(os.path.join(CASES, name + ".expected"), "rw_after_" + name)
    passed = failed = legacy = 0
    for fname, fn in sorted(vars(before).items()):
        if not inspect.isfunction(fn) or fn.__module__ != before.__name__ or not runnable(fn):
            continue
        new = getattr(after, fname, None)
        if new is None:
            print(f"FAIL semantic/{name}.{fname}: missing after the rewrite")
            failed += 1
            continue
        a, sa = run(fn)
        b, sb = run(new)
        if a != b or sa != sb:
            failed += 1
            print(f"FAIL semantic/{name}.{fname}:")
            print(f"    original:  {a!r}"[:400])
            print(f"    rewritten: {b!r}"[:400])
            if sa != sb:
                print("    database states differ")
        else:
            passed += 1
        legacy += ".query(" in inspect.getsource(new)
    return passed, failed, legacy


def main(argv: list[str]) -> int:
    names = argv or sorted(f[:-3] for f in os.listdir(CASES) if f.endswith(".py"))
    passed = failed = legacy = 0
    for name in names:
        if not os.path.exists(os.path.join(CASES, name + ".expected")):
            continue
        p, f, l = check_case(name)
        passed, failed, legacy = passed + p, failed + f, legacy + l
    print(f"semantic: functions still using session.query() after the rewrite "
          f"(manual cases): {legacy}")
    print(f"semantic: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
