a = b = c = 1
x, *rest = values
(p, q), [r, s] = pairs
obj.attr = item[0] = d["k"] = 2
count += 1; total -= 2; mask |= 4
value: int
typed: list[int] = []
(walrus := compute())
if (n := len(data)) > 10:
    del data[0], obj.attr, n
assert n > 0, "message"
