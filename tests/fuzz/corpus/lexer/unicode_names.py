café = "é"
名前 = "name"
Ω = 1  # comment with ünïcödé
ℌ = 2
