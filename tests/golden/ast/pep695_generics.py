def first[T](xs: list[T]) -> T:
    return xs[0]
class Box[T: int, U: (str, bytes), *Ts, **P]:
    pass
async def call[**P, R](f: Callable[P, R], *args: *Ts) -> R:
    pass
