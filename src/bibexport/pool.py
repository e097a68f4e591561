"""Forked worker processes, each fed through a pipe of its own, with results taken in order.

``concurrent.futures.ProcessPoolExecutor`` did this job before, and cost more than its work:
importing it and ``multiprocessing`` (with logging, socket, tempfile and subprocess) was
15-30 ms of every big run's start-up, before the workers could start, and it moved each task
and result through two threads of this process, a queue of locks and semaphores, and one
more pickling of each message. Here a task is pickled once, written to its worker's pipe, and
its result read back into one buffer and unpickled when it is wanted. A worker needs no
``PR_SET_PDEATHSIG`` (through ctypes) to die with this process either: it held the only other
end of their pipes, so its death ends a worker at its next read or write. (parallel's start
hook imports ctypes in each worker for malloc's settings, not for this.)

One thread of this process moves the bytes, so that the workers keep working while this
process is busy elsewhere (indexing a big library at the first paper takes a second or two).
A task goes to a worker as soon as the worker has room for it, so the last tasks go to the
workers that are free, not to one chosen when the task was sent.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import struct
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

from .errors import BibexportError

# Each message, either way: its length (8 bytes), then a pickle.
_HEADER = struct.Struct("=Q")
# Tasks a worker holds at once (the one it runs, and the next one, waiting in its pipe): it never
# waits for this process between two tasks, and the tasks left at the end go to whichever
# worker frees up first.
DEPTH = 2
# Pipes are made this big where the system lets us (Linux: pipe-max-size, 1 MiB by default). A
# part's results (~300 KB) then go in one write, and the worker goes on to its next part at once
# rather than wait, 64 KiB at a time, for this process to read them.
_PIPE_SIZE = 1 << 20
_STOPS = {signal.SIGINT, signal.SIGTERM}


class WorkerError(BibexportError):
    """A worker process died (killed, out of memory) with a batch of papers unfinished."""


def worker_died() -> WorkerError:
    return WorkerError(
        "a worker process ended unexpectedly (killed, or out of memory?); nothing was "
        "written. BIBEXPORT_JOBS=1 converts without workers"
    )


class RemoteTraceback(Exception):
    """The cause given to an error raised in a worker: where in the worker it was raised."""

    def __str__(self) -> str:
        return str(self.args[0])


class _Worker:
    """One worker process, and what this process knows of its pipes."""

    __slots__ = ("body", "got", "head", "out", "pid", "results", "tasks", "tickets", "writing")

    def __init__(self, pid: int, tasks: int, results: int) -> None:
        self.pid = pid
        self.tasks = tasks  # this process writes tasks here (non-blocking)
        self.results = results  # and reads results here (non-blocking)
        self.tickets: deque[int] = deque()  # the tasks it holds, in the order it runs them
        self.out: list[memoryview] = []  # bytes of those tasks not yet in its pipe
        self.writing = False  # its task pipe is polled for room
        self.head = bytearray()  # the length of the result being read, as far as read
        self.body: bytearray | None = None  # that result, once its length is known
        self.got = 0  # bytes of it read


class Pool:
    """``jobs`` forked workers; ``start`` runs in each as it starts. :meth:`submit` a function
    (one a worker can find by name: a module's) and its argument, and take the result of each
    ticket with :meth:`result`. :meth:`close` after a run that went well, :meth:`kill` after one
    that did not. A worker's death breaks the pool: every result not yet in, and every later
    submit, raise :class:`WorkerError`."""

    def __init__(self, jobs: int, start: Callable[[], None]) -> None:
        self.workers: list[_Worker] = []
        self._exiting: list[int] = []  # workers closed, not yet waited for
        self.broken = False
        self._failure: BaseException | None = None  # what broke the pool
        self._queue: deque[tuple[int, bytes]] = deque()  # tasks no worker has room for yet
        self._done: dict[int, bytearray] = {}
        self._tickets = 0
        self._closing = False
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None  # started once the workers are forked
        # Until a worker has set its own signal handling (``start``), Ctrl-C or SIGTERM would
        # run this process's handler in it, and the CLI's prints a traceback: held back, and
        # let through in the worker once ``start`` has run.
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
        try:
            for _ in range(jobs):
                self.workers.append(_fork(self.workers, start))
        except BaseException:
            self._end(signal.SIGTERM)
            raise
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_w, False)
        self._poller = select.poll()
        self._thread = threading.Thread(target=self._pump, name="bibexport-workers", daemon=True)
        self._thread.start()

    def submit(self, function: Callable[[Any], Any], argument: object) -> int:
        data = pickle.dumps((function, argument), pickle.HIGHEST_PROTOCOL)
        with self._cond:
            if self.broken:
                raise worker_died() from self._failure
            ticket = self._tickets
            self._tickets += 1
            self._queue.append((ticket, data))
            # The thread hands queued tasks out as results come in: woken only when a worker
            # has room now (a wake-up is a system call, and hands the thread the GIL).
            room = any(len(worker.tickets) < DEPTH for worker in self.workers)
        if room:
            self._wake()
        return ticket

    def result(self, ticket: int) -> Any:
        """What the function of ``ticket`` returned, once its worker is done; what it raised is
        raised here, with where in the worker as its cause."""
        with self._cond:
            while ticket not in self._done:
                if self.broken:
                    raise worker_died() from self._failure
                self._cond.wait()
            data = self._done.pop(ticket)
        reply = pickle.loads(data)
        if reply[0]:
            return reply[1]
        _, error, where = reply
        raise error from RemoteTraceback(where)

    def close(self, wait: bool = True) -> None:
        """After the last result: each worker reads the end of its pipe, and leaves. Without
        ``wait``, :meth:`reap` waits for them later."""
        self._end(None, wait)

    def reap(self) -> None:
        """Wait for the workers that :meth:`close` left to exit."""
        for pid in self._exiting:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        self._exiting = []

    def kill(self) -> None:
        """Now, whatever the workers are doing (SIGTERM: their own handler, the default)."""
        self._end(signal.SIGTERM)

    def _end(self, how: signal.Signals | None, wait: bool = True) -> None:
        if self._thread is not None:
            with self._cond:
                self._closing = True
            self._wake()
            self._thread.join()
            os.close(self._wake_r)
            os.close(self._wake_w)
            self._thread = None
        for worker in self.workers:
            # The end of both pipes: a worker waiting for a task, or to write a result no one
            # will read, leaves.
            os.close(worker.tasks)
            os.close(worker.results)
            if how is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(worker.pid, how)
        self._exiting += [worker.pid for worker in self.workers]
        self.workers = []
        if wait:
            self.reap()

    def _wake(self) -> None:
        with contextlib.suppress(BlockingIOError):  # full of wake-ups already
            os.write(self._wake_w, b"\0")

    def _pump(self) -> None:
        """The thread that moves tasks into the workers' pipes and results out of them."""
        poller = self._poller
        poller.register(self._wake_r, select.POLLIN)
        by_fd: dict[int, _Worker] = {}
        for worker in self.workers:
            poller.register(worker.results, select.POLLIN)
            by_fd[worker.results] = by_fd[worker.tasks] = worker
        try:
            while True:
                with self._cond:
                    if self._closing:
                        return
                    handed = self._hand_out()
                for worker in handed:
                    self._write(worker)
                for fd, _ in poller.poll():
                    if fd == self._wake_r:
                        os.read(fd, 1 << 16)
                    elif fd == by_fd[fd].results:
                        self._read(by_fd[fd])
                    else:
                        self._write(by_fd[fd])
        except BaseException as error:  # a worker gone (the end of its pipe), or a bug here
            with self._cond:
                self.broken = True
                self._failure = error
                self._cond.notify_all()

    def _hand_out(self) -> list[_Worker]:
        """Queued tasks given to the workers with room for them, the least busy first."""
        handed: list[_Worker] = []
        while self._queue:
            worker = min(self.workers, key=lambda w: len(w.tickets))
            if len(worker.tickets) >= DEPTH:
                break
            ticket, data = self._queue.popleft()
            worker.tickets.append(ticket)
            worker.out += [memoryview(_HEADER.pack(len(data))), memoryview(data)]
            handed.append(worker)
        return handed

    def _write(self, worker: _Worker) -> None:
        """As much of the worker's tasks as its pipe takes now; polled for room if not all."""
        out = worker.out
        while out:
            try:
                _advance(out, os.writev(worker.tasks, out))
            except BlockingIOError:
                break
        if bool(out) != worker.writing:
            worker.writing = bool(out)
            if out:
                self._poller.register(worker.tasks, select.POLLOUT)
            else:
                self._poller.unregister(worker.tasks)

    def _read(self, worker: _Worker) -> None:
        """What the worker's result pipe holds; each result read whole is handed over."""
        fd = worker.results
        while True:
            if worker.body is None:
                try:
                    chunk = os.read(fd, _HEADER.size - len(worker.head))
                except BlockingIOError:
                    return
                if not chunk:
                    raise EOFError  # the worker is gone
                worker.head += chunk
                if len(worker.head) < _HEADER.size:
                    continue
                worker.body = bytearray(_HEADER.unpack(worker.head)[0])
                worker.head.clear()
                worker.got = 0
            try:
                got = os.readv(fd, [memoryview(worker.body)[worker.got :]])
            except BlockingIOError:
                return
            if not got:
                raise EOFError
            worker.got += got
            if worker.got == len(worker.body):
                with self._cond:
                    self._done[worker.tickets.popleft()] = worker.body
                    self._cond.notify_all()
                    handed = self._hand_out()
                worker.body = None
                for each in handed:
                    self._write(each)


def _fork(others: list[_Worker], start: Callable[[], None]) -> _Worker:
    tasks_r, tasks_w = os.pipe()
    results_r, results_w = os.pipe()
    try:
        pid = os.fork()
    except BaseException:
        for fd in (tasks_r, tasks_w, results_r, results_w):
            os.close(fd)
        raise
    if pid == 0:  # the worker: it never returns from here
        code = 1
        try:
            # Only this process may hold the other ends of a worker's pipes, so that its
            # death is the end of them.
            for fd in (tasks_w, results_r, *[f for w in others for f in (w.tasks, w.results)]):
                os.close(fd)
            start()
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPS)  # blocked while forking
            code = _serve(tasks_r, results_w)
        finally:
            os._exit(code)
    os.close(tasks_r)
    os.close(results_w)
    for fd in (tasks_w, results_r):
        _enlarge(fd)
        os.set_blocking(fd, False)
    return _Worker(pid, tasks_w, results_r)


def _enlarge(fd: int) -> None:
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)
    except (ImportError, AttributeError, OSError):  # not Linux, or over the user's limit
        pass


def _serve(tasks: int, results: int) -> int:
    """A worker's life: task after task, until the end of its pipe (or of the main process)."""
    while True:
        head = _read_exact(tasks, _HEADER.size)
        if head is None:
            return 0
        data = _read_exact(tasks, _HEADER.unpack(head)[0])
        if data is None:
            return 1
        try:
            function, argument = pickle.loads(data)
            reply: tuple[Any, ...] = (True, function(argument))
        except BaseException as error:
            reply = (False, error, _where(error))
        try:
            sent = _dumps(reply)
            _write_all(results, [_HEADER.pack(len(sent)), sent])
        except OSError:  # the main process is gone
            return 1


def _dumps(reply: tuple[Any, ...]) -> bytes:
    try:
        return pickle.dumps(reply, pickle.HIGHEST_PROTOCOL)
    except Exception as error:  # a result or an error that does not pickle: a bug, said so
        where = reply[2] if not reply[0] else ""
        return pickle.dumps(
            (False, RuntimeError(f"cannot send a worker's result: {error!r}"), where)
        )


def _where(error: BaseException) -> str:
    import traceback

    return "".join(traceback.format_exception(error))


def _read_exact(fd: int, size: int) -> bytearray | None:
    """``size`` bytes from the pipe, or None at its end."""
    data = bytearray(size)
    view = memoryview(data)
    got = 0
    while got < size:
        n = os.readv(fd, [view[got:]])
        if not n:
            return None
        got += n
    return data


def _write_all(fd: int, chunks: list[bytes]) -> None:
    views = [memoryview(chunk) for chunk in chunks]
    while views:
        _advance(views, os.writev(fd, views))


def _advance(views: list[memoryview], sent: int) -> None:
    """``views`` without their first ``sent`` bytes, which a write took."""
    while views and sent >= len(views[0]):
        sent -= len(views.pop(0))
    if sent:
        views[0] = views[0][sent:]
