name = "x"
a = f"hello {name}!"
b = f"{"same quotes"} and {f"{name!r}"}"
c = f'{f"{f'{1 + 2}'}"}'
d = f"{{literal}} {{{name}}}"
e = f"""multi {
    name  # comment in an expression
    + "y"
} line"""
g = rf"\d{name}\{{" + Fr'{name}'
h = f"\N{BULLET} {name}"
i = f"{a!=b} {(lambda: 1)()} {name=}"
