match = 1
match(x)
match.attr = 2
print(match, case, type)
type = 3
type(x)
_ = 4
case = [match for match in _]
match match:
    case case:
        pass
