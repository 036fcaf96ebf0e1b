from core.analysis import Analyzer


def test_analyze(session):
    assert Analyzer(session).analyze(1) == {"latest": None}
