@property
def x(self): return self._x


@x.setter
def x(self, value): self._x = value


@(lambda f: f)
@functools.lru_cache(maxsize=None)
def cached(n): return n if n < 2 else cached(n - 1) + cached(n - 2)


key = sorted(items, key=lambda item: (item.priority, -item.age))
conditional = a if b else c if d else e
