@decorator
def decorated():
    pass

if x: pass;

x = (1)
y = (1, 2)
z = 1, 2,
(a) = 1
(b): int = 2
c.d: int
(e.f).g = 3
call(arg)(other)[key].attr
print(*args, sep="", **kw)
result = (
    first
    + second
)
class Empty: pass
def f(a: int = 1, *args: str, b, **kwargs) -> None:
    try:
        pass
    except ValueError as error:
        raise
x = [
    1,
    2,
]
