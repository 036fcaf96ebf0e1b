# the bracket opens after the parse error: the parse error wins
x = 1 +
y = [
