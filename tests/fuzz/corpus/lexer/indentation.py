if a:
	if b:
		tabbed()
	else:
	    mixed_ok = 1
x = [
  1,
      2,
]
def f(): return 1
class C: pass
if x: y = 1; z = 2
