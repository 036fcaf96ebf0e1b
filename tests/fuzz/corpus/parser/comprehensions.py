squares = [x * x for x in range(10) if x % 2 if x > 2]
pairs = {k: v for k, v in items.items()}
unique = {y for row in grid for y in row}
lazy = (z for z in data)
total = sum(i for i in range(100))
nested = [[c for c in row] for row in matrix]
