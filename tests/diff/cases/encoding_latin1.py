# -*- coding: latin-1 -*-
# A latin-1 file: the parser decodes it to UTF-8; positions are UTF-8 byte offsets.
café = "naïve élève"
print(café, len("µ"), b"\xe9")
s = f"{café!r:>10} £"
µ = 1  # MICRO SIGN: NFKC makes it GREEK SMALL LETTER MU
