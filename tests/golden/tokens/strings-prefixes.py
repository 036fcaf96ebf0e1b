a = 'single' "double" '' ""
b = '''triple
single''' """triple
double"""
c = r'raw\d' u'unicode' U'u' R'r'
d = b'bytes' br'\x' rb'\y' Rb'z' bR'w' BR'v' B"b"
e = 'it\'s' "say \"hi\"" '\\' r'\''
f = 'line\
continued'
