s = """never closed
