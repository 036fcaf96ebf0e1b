"""Module functions without database work: not a node."""


def ok() -> dict:
    return {"ok": True}
