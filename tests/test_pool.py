"""The worker pool (bibexport.pool): results come back whole and in the order asked for,
errors come back as themselves, and no worker outlives the pool or hangs it."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from bibexport.pool import DEPTH, Pool, RemoteTraceback, WorkerError

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")


def _nothing() -> None:
    pass


def _echo(argument: object) -> object:
    return argument


def _slow_first(n: int) -> tuple[int, int]:
    """Even tasks take longer, so the workers finish them out of order."""
    time.sleep(0.02 if n % 2 == 0 else 0)
    return n, os.getpid()


def _fail(message: str) -> None:
    raise ValueError(message)


def _unpicklable(_: object) -> object:
    return lambda: None


def _mark(folder: str) -> int:
    path = Path(folder) / f"{time.monotonic_ns()}.{os.getpid()}"
    path.touch()
    return os.getpid()


def _die(_: object) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _gone(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True  # reaped: not a child of ours any more
    return False


def test_results_in_the_order_asked_for_from_every_worker() -> None:
    pool = Pool(2, _nothing)
    try:
        tickets = [pool.submit(_slow_first, n) for n in range(12)]
        results = [pool.result(t) for t in tickets]
    finally:
        pool.close()
    assert [n for n, _ in results] == list(range(12))
    pids = {pid for _, pid in results}
    assert len(pids) == 2 and os.getpid() not in pids


@pytest.mark.parametrize("size", [0, 1, 65535, 65536, 1 << 20, (3 << 20) + 7])
def test_big_tasks_and_results_cross_whole(size: int) -> None:
    """Bigger than a pipe holds (64 KiB, or 1 MiB where it is made bigger), both ways."""
    data = bytes(range(256)) * (size // 256) + bytes(size % 256)
    pool = Pool(2, _nothing)
    try:
        tickets = [pool.submit(_echo, (data, i)) for i in range(5)]
        assert [pool.result(t) for t in tickets] == [(data, i) for i in range(5)]
    finally:
        pool.close()


def test_an_error_comes_back_as_itself_and_the_pool_goes_on() -> None:
    pool = Pool(2, _nothing)
    try:
        bad = pool.submit(_fail, "paper #17 is bad")
        good = pool.submit(_echo, "fine")
        with pytest.raises(ValueError, match="paper #17 is bad") as caught:
            pool.result(bad)
        cause = caught.value.__cause__
        assert isinstance(cause, RemoteTraceback) and "_fail" in str(cause)
        assert pool.result(good) == "fine"
        assert pool.result(pool.submit(_echo, 3)) == 3
    finally:
        pool.close()


def test_a_result_that_does_not_pickle_is_an_error_not_a_hang() -> None:
    pool = Pool(1, _nothing)
    try:
        with pytest.raises(RuntimeError, match="cannot send a worker's result"):
            pool.result(pool.submit(_unpicklable, None))
        assert pool.result(pool.submit(_echo, 1)) == 1
    finally:
        pool.close()


def _explode() -> None:
    raise ValueError("cannot be made here")


class _Bomb:
    """Pickles, but cannot be unpickled (in the worker)."""

    def __reduce__(self) -> tuple[object, tuple[()]]:
        return _explode, ()


def test_a_task_the_worker_cannot_unpickle_is_its_error() -> None:
    pool = Pool(1, _nothing)
    try:
        with pytest.raises(ValueError, match="cannot be made here"):
            pool.result(pool.submit(_echo, _Bomb()))
        assert pool.result(pool.submit(_echo, 2)) == 2
    finally:
        pool.close()


def test_the_workers_go_on_while_this_process_takes_no_result(tmp_path: Path) -> None:
    """Each worker holds DEPTH tasks: the others are handed out, as the first are done, by
    the pool's own thread, while this one is busy elsewhere and asks for nothing."""
    pool = Pool(2, _nothing)
    count = 4 * DEPTH * 2
    try:
        tickets = [pool.submit(_mark, str(tmp_path)) for _ in range(count)]
        deadline = time.monotonic() + 30
        while len(os.listdir(tmp_path)) < count:
            assert time.monotonic() < deadline, "the workers stopped for want of tasks"
            time.sleep(0.01)
        assert len({pool.result(t) for t in tickets}) == 2
    finally:
        pool.close()


def test_close_and_kill_leave_no_worker() -> None:
    for end in (Pool.close, Pool.kill):
        pool = Pool(2, _nothing)
        pids = [w.pid for w in pool.workers]
        pool.result(pool.submit(_echo, 1))
        end(pool)
        assert all(_gone(pid) for pid in pids)


def test_close_without_waiting_leaves_the_exits_to_reap() -> None:
    """The workers leave at once (the end of their pipes); reap() waits for them."""
    pool = Pool(2, _nothing)
    pids = [w.pid for w in pool.workers]
    pool.result(pool.submit(_echo, 1))
    pool.close(wait=False)
    deadline = time.monotonic() + 20
    while not all(_exited(pid) for pid in pids):
        assert time.monotonic() < deadline, "a worker did not leave"
        time.sleep(0.01)
    pool.reap()
    assert all(_gone(pid) for pid in pids)


def _exited(pid: int) -> bool:
    """Ended, and not yet waited for (a zombie)."""
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rpartition(")")[2].split()[0] == "Z"


def test_a_worker_killed_mid_task_breaks_the_pool() -> None:
    pool = Pool(2, _nothing)
    try:
        first = pool.submit(_echo, "before")
        assert pool.result(first) == "before"
        doomed = pool.submit(_die, None)
        with pytest.raises(WorkerError, match="worker process ended unexpectedly"):
            pool.result(doomed)
        with pytest.raises(WorkerError):
            pool.submit(_echo, "after")
    finally:
        pool.kill()


def test_a_fork_that_fails_leaves_no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """The second fork fails (no memory, no processes left): the first worker is ended, and
    the error is the caller's to handle (the pipeline then works alone)."""
    real = os.fork
    forked: list[int] = []

    def fork_once() -> int:
        if forked:
            raise BlockingIOError(11, "Resource temporarily unavailable")
        pid = real()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork_once)
    with pytest.raises(BlockingIOError):
        Pool(2, _nothing)
    assert len(forked) == 1 and _gone(forked[0])
