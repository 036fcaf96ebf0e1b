merged = {**a, "k": 1, **b}
combined = [*a, *b, 3]
first, *_ = *a, *b
call(*a, *b, **c, **d)
s = {*a, *b}
t = 1,
u = ()
v = (1,)
