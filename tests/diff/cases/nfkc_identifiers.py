# Non-ASCII identifiers are NFKC-normalized, as CPython does (PEP 3131).
µ = 1                     # MICRO SIGN -> GREEK SMALL LETTER MU
ｆｕｌｌ = µ + ﬁ           # fullwidth letters, the fi ligature
é = 2                     # e + COMBINING ACUTE ACCENT -> e with acute
ạ́ = 3                     # a + acute + dot below: reordered, then composed
x.ｂａｒ = ℌ               # attribute names too
def ｆ(ａｒｇ, *, ｋｗ=1):
    return ａｒｇ
ｆ(1, ｋｗ=2)
import ｏｓ.ｐａｔｈ as ｐ
from ｏｓ import ｐａｔｈ
class Ⅸ:
    pass
가 = 각                    # conjoining jamo -> Hangul syllables
𝔡𝔞𝔱𝔞 = ﾊﾟ
global ｇ
