u"kind" f"{a}" "tail"
f"{a}" "" f"{b}"
"" f""
f"{{literal}} {x:{y}}"
rf"\d{x}\n"
f"\t{x!a}\u00e9"
f"{x:{y}{z}}"
f'{'single' "double"}'
f"""{
    1 if a else 2
}"""
