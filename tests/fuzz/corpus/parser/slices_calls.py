a[1:2]
a[::2]
a[:, 1:, ..., None]
a[i, j]
f(*args, **kwargs)
f(x, y=1, *more, z=2, **extra)
f(x for x in y)
obj.method().chain[0](arg)(another)
print(*[1, 2], sep="")
