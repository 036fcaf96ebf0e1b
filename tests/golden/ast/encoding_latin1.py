# -*- coding: latin-1 -*-
café = "été"  # positions are byte offsets of the UTF-8 text
