import os.path as osp, sys
from ..pkg.mod import (a, b as c,)
from . import x
from ... import y
global g
x = y = 1
a, *b = c, d
[e, f] = (g, h) = i
k: int = 1
(m): int
n.o: list[int]
p[0] += 1
del q, r[0], s.t
assert u, "v"
raise E from F
if a:
    pass
elif b:
    pass
else:
    pass;
while c:
    break
else:
    continue
for d, in e:
    pass
else:
    pass
try:
    pass
except (E1, E2) as err:
    pass
except:
    pass
else:
    pass
finally:
    pass
try:
    pass
except* E3:
    pass
with a as b, c:
    pass
with (a as b, c as d,):
    pass
with (a, b):
    pass
with (a, b) as c:
    pass
with (yield):
    pass
@decorator
@decorator.attr(1)
class C(Base, metaclass=Meta):
    x: int = 0
    @property
    def f(self, a, /, b=1, *args, c, d=2, **kw) -> int:
        return a
    async def g(self):
        async with x as y:
            pass
        async for z in y:
            await z
        return [i async for i in aiter()]
def h():
    nonlocal q
    yield
    yield from r
    x = yield s, t
