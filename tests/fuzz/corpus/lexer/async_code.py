import asyncio


async def worker(queue):
    async with session_factory() as session, lock:
        async for item in stream():
            await session.execute(select(Job).where(Job.id == item))
    result = [x async for x in gen() if await check(x)]
    return await asyncio.gather(*tasks, return_exceptions=True)
