import threading
from concurrent.futures import ThreadPoolExecutor


def crunch(n: int) -> int:
    return n * n


def main() -> None:
    with ThreadPoolExecutor(max_workers=2) as ex:
        list(ex.map(crunch, range(10)))
    threading.Thread(target=crunch, args=(3,)).start()
