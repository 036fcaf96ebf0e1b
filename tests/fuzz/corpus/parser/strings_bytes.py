s1 = 'single' "double" '''triple''' """triple double"""
s2 = r'raw\n' R"RAW" u'unicode'
b2 = b'bytes' rb'\x00' Br"x"
s3 = "escapes: \n \t \\ \' \" \x41 \101 \u00e9 \U0001F600 \N{BULLET} \q"
s4 = b"\xff\x00"
s5 = "implicit" \
    " continuation"
