name = "world"
a = f"hello {name}!"
b = f"{value:>10.2f} {value!r} {{literal}}"
c = f'{x:{width}.{precision}}'
d = rf"raw {path}\n" f"and {more}"
e = f"""m{x
      + 1} text"""
g = f"{'nestedhandler'} {"same quotes"}{ f'{inner}'}"
