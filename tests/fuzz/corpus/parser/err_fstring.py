f"{x!z}"
f"{"
