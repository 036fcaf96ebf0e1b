name = "world"
a = f"hello {name}!"
b = f"{value:>10.2f} {value!r} {value=} {{literal}}"
c = f'{x:{width}.{precision}}'
d = rf"raw {path}\n" f"and {more}"
e = f"""multi
line {x
      + 1} text"""
g = f"{'nested'} {"same quotes"} {f'{inner}'}"
