class A:
    def f(self, x):
        if x:
            return 1
        elif not x:
            pass

        # a comment at another indentation
      # and one more
        return 2


def g():
    while True:
        break
x = 1
