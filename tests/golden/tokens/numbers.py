ints = [0, 00, 7, 1_000_000, 0xDEAD_beef, 0XFF, 0o17, 0O7, 0b1010, 0B1_0]
floats = [1.5, .5, 5., 1e10, 1E-5, 1.5e+3, 1_0.0_1e1_0, 09.5, 0e0]
imag = [1j, 1.5J, .5j, 1e5j, 0j]
tight = 1if x else 2
attr = x.real + 1 .real
