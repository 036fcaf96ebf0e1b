type Alias[T] = list[T]
type Point = tuple[float, float]


def first[T](items: list[T]) -> T:
    return items[0]


class Box[T: int, *Ts, **P]:
    def get[U](self) -> U: ...
