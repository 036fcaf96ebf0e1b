café = 1
naïve_größe = café + 2
日本語 = "値"
Σ = sum
def ƒ(α, β):
    return α + β  # ünïcödé comment
