f"{'nested' + "same quotes"}"
f"{f"{x}"}"
f"{value:{width}.{precision}f}"
f"{x = }"
f"{x=!s:>{w}}"
f"{x=:^10}"
f"a{{b}}c{d!r}"
f"{
    a
    + b
}"
"lit" f"{x}" "eral"
