def f():
    s = '''a
b'''
    return s

x = (1,
     2)
old_mac = 1y = 2