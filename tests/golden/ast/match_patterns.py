match command.split():
    case [action]:
        pass
    case [action, obj, *rest] if obj:
        pass
    case ():
        pass
    case (x):
        pass
    case a, *_:
        pass
    case 0 | -1 | 1.5 | 2j | -3 + 4j | 5 - 6j:
        pass
    case "a" "b" | b"c":
        pass
    case None | True | False:
        pass
    case Color.RED | mod.Color.BLUE:
        pass
    case {"x": 1, Key.Y: y, **rest}:
        pass
    case {}:
        pass
    case Point(x=0, y=0):
        pass
    case Point(1, 2, z=[3, *more]):
        pass
    case mod.Cls():
        pass
    case [1, 2] as pair:
        pass
    case (1 | 2) as n if n > 0:
        pass
    case _:
        pass
match x, *y:
    case [*_]:
        pass
