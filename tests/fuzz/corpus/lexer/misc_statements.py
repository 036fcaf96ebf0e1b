def gen():
    yield
    yield 1
    yield from other()
    x = yield 2
    return


raise
pass
print(not x, -x, +x, ~x, x ** -y, await_ := 1)
a < b > c == d >= e <= f != g
x = ...
__debug__
