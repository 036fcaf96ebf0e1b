# Grammar corners for the differential test (tests/diff): every statement here is valid Python 3.11.
# One construct per line or block; keep the file accepted by /usr/bin/python3's ast.parse.
{(c := a): 1}
x = {(c := a): 1}
f(a for a in b)
f((a for a in b), c)
f(*a, *b, c=1, **d, e=2)
a[1:2, ::3, ...]
a[b:=1]
a[*b]
del a, (b), [c], d.e, f[0]
(a) = (b) = c
x: int = 1
(x): int
x.y: int
lambda: (yield)
lambda *a, b=1, **c: 0
lambda a, /, b: 0
def f(a, /): pass
def f(*, a): pass
async def f():
    async with a as b, c: pass
    async for x in y: await z
    return [x async for x in y]
with (a as b, c as d,): pass
with (a, b): pass
with (yield): pass
try:
    pass
except* ValueError as e:
    pass
try:
    pass
except (A, B):
    pass
else:
    pass
finally:
    pass
match x:
    case {1: a, **rest}: pass
    case [a, b, *_]: pass
    case A.B(c, d=e) | None: pass
    case (1 | 2) as z: pass
    case -1.5 + 2j: pass
    case "a" "b": pass
    case _: pass
match (x):
    case _: pass
match = 1
match.x = 2
case = 3
type = 4
print(match, case, type)
x = 1 if y else 2
x = not a and b or c
x = a < b < c is not d not in e
x = -~+a ** -b
x = a @ b // c % d << e >> f & g ^ h | i
x = yield
x = yield from a
x = await a
global a, b
nonlocal c
from .. import a
from ...a.b import c as d, e
import a.b.c as d, e
assert a, b
raise a from b
x = [*a, *b]
x = {**a, 'b': 1, **c}
x = {*a, b}
x = a if b else lambda: c
x = (a, *b)
x = a, *b
for x, *y in z: pass
for (x, y) in z: pass
for [x] in z: pass
x = 'a' 'b' "c" '''d''' """e"""
x = b'a' b"b"
x = rb'\d' Rb"\x" BR'x'
x = u'x' 'y'
x = 0b1_0 + 0o7_7 + 0x_f + 1_0.0_1e+1_0 + 1j + 1.j + .1J + 1e5j
x = 0.0 + 1e400 + 1e-400
x = 00 + 0_0 + 1_000_000_000_000_000_000_000
x = ...
x = a.b.c(d)[e](f).g
x = f(a)(b)(c)
x = f(a, b,)
x = [i for i in range(3) if i if not i for j in k]
x = {k: v for k, v in d.items()}
x = {k for k in s}
x = (yield a, b)
def g(): return 1, *a
@a.b(c)
@d
class C(A, *B, metaclass=M, **kw):
    x: int
    def f(self) -> 'C': ...
x = a[b, c:d]
x = a[(b, c)]
x = a[b,]
x = a[:]
x = a[::]
print(*a, sep='')
if a:
    pass
elif b:
    pass
elif c:
    pass
else:
    pass
while a:
    break
else:
    continue
x = \
    1
x = (1 +
     2)
x = f"{a!r} {b!s:>10} {c!a} {d=} {e = } {f=!r:^5} {{}} {g:{h}.{i}}"
x = f"{'a' if b else 'c'}" f'{x["k"]}' f"{a:%Y-%m-%d}"
x = f"""{
a
}"""
x = f'{a}' 'b' f'{c}' u'd'
x = F'{a}' Rf'{b}\n' fr"{c}\n"
x = f'{(lambda: 1)}'
x = f'{a:=1}'
x = f'{(a:=1)}'
x = f'{3,}' f'{a, b!r}' f'{ *a, }'
x = f"{x:{y}}" f"{x:{y}z}" f"{x:z{y}}"
x = f"{x}" f"" "" f"{y}"
x = '\x41\101\u0041\U00000041\n\t\\\'\"\a\b\f\v\0'
x = '\ud800' '\udfff'
x = 'é' + "日本" + '\U0001F600'
x = r'\N{BULLET}'
x = b'\x80\xff\0'
ä = 1
x = a if b else c if d else e
x = [
    1,
    2,
]
x = not not a
x = a is not b
x = (a)(b)
x = ((a))
x = (a := 1)
if (n := 10) > 5: pass
while chunk := f(): pass
x = [y := 1, y ** 2]
def f(a=(b := 1)): pass
x = a[b := 1, c]
