# CPython 3.11 f-string positions (Parser/string_parser.c) that ast_dump reproduces for
# --python 3.11: whole-string spans for parts, format-spec token spans, multi-line strings
# inside braces counted from the '{', bare tuples spanning their braces.
x = f"""ab
  {y} {z.w}
{q} {q}"""
x = (1,
   f"""ab
  {y+
  z} {
   w}""")
x = f"""{a}
  {b:{c}}"""
xx = f"a\
  {y}"
if 1:
    yyy = f'''
        a {b} {c:{d}} {e!r}
    {ff.gg(hh)}'''
    x = f"""
{x
}"""
    z = f"""a {x} {x}
    {x}
     {x}"""
    z = """xx""" f"""a {x} {x}
    {x}
     {x}"""
x = f"""
  {f'{a}' + f"{b:{c}}"}
   {  
 d} {
  e}  {e
 + f}"""
y = (f'{a}' f'''
  {b}''' f'''{c}
  {d
  }''')
z = f'''{
a}'''
def f():
    return f"""{  x  }
        {{y}} {g(
     h)}
    """
x = f"""
  {f'''a
 {b} {c}''' + f'''{d}
   {e}'''}"""
y = f"""é {a}
é {b} ü {c:{d}}"""
	
z = [f"""
	{a}	{b}""", f"{x}"  f"{y}"]
w = f"""{'''
a'''} {b}"""
x = f"""
  {f'''{a}
'''} {f'''
 {b}'''}"""
y = (u"a" f"{x:>{w}}" "tail"
     f"{y!r:^10}")
z = f'{x:{y}}' f"{a:b{c}d{e}f}"
q = f"""{
    a
    }{b:{c}
}"""
r = f'{x=}' f'{y = !r:>10}'
s = f'{"a" "b"}{x["k"]}'
x = f"""ab {f'{a}' + f'''{b}
 {c}'''} é {d}
  {f"{e}"} {f'''x
{g}'''}"""
y = ("a"  # comment
     f"{b}" \
     f'''c{d:{e}}
''' rf"\{x}" fR'{y}' if 0 else 0)
z = f"{x:{f'{y}'}}"
w = f"\u2022 {x} {{ }} \t{y!a}"
v = (
    f"""
    {a}"""
    f"""{b}"""
)
def g():
	return f"""	{a}
	{b}"""
u = f'{(a, b)}{ (c) }{[d]!s}'
t = f"""{a!r:
}"""
a = f'{3,}' f"{ 1, 2 !r}" f"{(1, 2)}" f"{(a), b:>{c,}}" f"{a, (b)=}"
b = f"""
  {x,
  y }"""
