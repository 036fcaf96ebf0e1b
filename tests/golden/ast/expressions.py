a[1:2, ::3]
a[*b]
a[:], a[1:], a[::2], a[x, y:z]
f(x for x in y)
f(*a, b=1, *c, **d)
f((g for g in h), i)
(f)(x).y[z]
lambda: 0
lambda a, /, b=1, *c, d, e=2, **f: 0
lambda *, k: k
[y := f(x), y ** 2]
{k: v for k, v in items if k if v for w in v}
{s for s in t}
(g for g in h if g)
x if y else z if w else v
not a and b or c and d
a < b <= c != d is e is not f in g not in h
a | b ^ c & d << e >> f + g - h * i / j // k % l @ m
-a ** -b ** ~c
(a + b) * (c)
{1: 2, **d, 3: 4}
{1, *s}
[*a, *b]
()
(1,)
1, 2,
x = ...
x = None, True, False
x = 0x1f + 0o17 + 0b11 + 1_000 + 1.5e-3 + 2j + .5 + 10**100
x = 123456789012345678901234567890
x = "a" "b"
x = u"u-kind" "b"
x = b"x" b"\x00"
x = r"\d" "\n"
x = """doc
string"""
x = ("implicit"
     "concatenation")
