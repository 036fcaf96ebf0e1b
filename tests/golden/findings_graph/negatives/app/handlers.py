"""False-positive guards: nothing here blocks the event loop on the database."""
import asyncio

from .cache import Session, cached
from .db import load_all


async def only_offloads():
    return await asyncio.to_thread(load_all)


async def offloads_in_executor():
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, load_all)


async def cache_session(key):
    s = Session()
    s.commit()
    return s.query(key), cached(key)


async def shadowed_parameter(load_all):
    return load_all()


async def shadowed_local():
    load_all = lambda: []  # noqa: E731
    return load_all()


async def shadowed_in_comprehension(funcs):
    return [load_all() for load_all in funcs]


async def awaits_async_only():
    await asyncio.sleep(0)
    return await only_offloads()
