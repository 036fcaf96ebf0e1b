# CPython tokenizes on after a parse error: an unterminated string still wins
x = 1 +
y = 2
z = 'abc
