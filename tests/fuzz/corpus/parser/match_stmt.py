match command.split():
    case [action]:
        pass
    case [action, obj, *rest] if obj:
        pass
    case Point(x=0, y=0) | Point(1, 2):
        pass
    case {"key": value, **others}:
        pass
    case 1 | -1 | 2.5 | 1 + 2j | "s" | b"b" | None | True:
        pass
    case (a, b) as pair:
        pass
    case _:
        match = case = type = 1
