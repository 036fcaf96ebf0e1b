x = 0x
y = 1__0
z = 09
w = 1e
