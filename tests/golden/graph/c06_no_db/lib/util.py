class Cache:
    def __init__(self, size: int) -> None:
        self.size = size


class Service:
    def __init__(self, cache: Cache) -> None:
        self.cache = cache


def make() -> Service:
    return Service(Cache(10))
