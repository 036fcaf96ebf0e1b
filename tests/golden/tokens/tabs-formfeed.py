if x:
	if y:
		pass
	else:
	    pass

def f():
    a = 1
        b = 2
z = 3
