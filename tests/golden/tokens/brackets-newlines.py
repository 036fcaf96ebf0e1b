x = (1,
     2,

     # comment inside brackets
     3)
y = [
    {"a": (1, 2)},
]
z = x; w = y
call(
)
