for i, (a, b) in enumerate(pairs):
    if a and not b or a is not None:
        continue
    elif a in b and b not in a:
        break
    else:
        pass
else:
    done = True

while x < 10 <= y != z:
    x += 1
else:
    x = 0

try:
    risky()
except (ValueError, TypeError) as exc:
    raise RuntimeError("bad") from exc
except Exception:
    pass
else:
    ok()
finally:
    cleanup()
