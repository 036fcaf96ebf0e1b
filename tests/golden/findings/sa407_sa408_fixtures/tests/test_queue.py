import pytest


def test_depth(queue):
    assert queue.depth() == 0


@pytest.mark.asyncio
async def test_depth_async(queue):
    assert queue.depth() == 0


async def test_unmarked(db):
    assert db


def test_settings(settings):
    assert settings["debug"]
