def f(a, b=1, /, c=2, *args, d, e=3, **kw) -> int:
    """Docstring."""
    return a + b


def g(*, key: str = "x"):
    global counter
    counter += 1
    return lambda x, *y, z=0, **w: (x, y, z, w)


@decorator
@other.deco(arg=1)
def h(): ...
