# a parse error on line 2 comes first: the bad dedent below is never reached
x = 1 +
if x:
        a
    b
