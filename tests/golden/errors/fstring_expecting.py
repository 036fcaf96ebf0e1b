x = f"{value;}"
