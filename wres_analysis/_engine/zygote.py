"""Pristine kernels in a tenth of a second: fork them from a pre-imported "zygote" process.

Starting a Python kernel and importing pandas, matplotlib, seaborn, scipy and this package costs
about 1.5 s of CPU. Building ~215 organisation reports of 4 chapters each would spend most of
its time doing just that. The zygote is a process that imports all of it once, executes no
report code, and then waits. For every notebook the build asks it to ``fork()``: the child
becomes a brand-new ``ipykernel`` kernel on the connection file the kernel manager wrote, with
the imports already in memory (shared copy-on-write). Each notebook thus still runs top to
bottom in a kernel no other notebook has touched, for about 0.1 s instead of 1.5 s.

Pieces:

- :func:`serve` (``python -m wres_analysis._engine.zygote SOCKET``) is the zygote. It listens on
  a Unix socket in a private (0700) folder, accepts only its own user's connections, forks on
  request and reaps its children. Its standard input is a lifeline: when the build closes it or
  dies (even by SIGKILL), the zygote kills every kernel it forked and exits.
- A forked kernel starts its own session (so signals to its process group reach it alone),
  asks the operating system to SIGKILL it when the zygote dies (``PR_SET_PDEATHSIG``), and
  replaces its environment, working directory, ``sys.argv`` and random seeds with what a
  freshly launched kernel would have.
- :class:`Zygote` starts and stops the zygote; :class:`ZygoteKernelManager` is a Jupyter
  ``AsyncKernelManager`` whose provisioner forks from it instead of launching a process, and
  manages the kernel through a pidfd (kill, signal, poll), so Papermill, the registry of live
  kernels and the kernel's shutdown work unchanged.

Linux-only features (``pidfd``, ``PR_SET_PDEATHSIG``) are used when present; the build falls
back to ordinary kernels where ``os.fork`` is unavailable.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "ForkedKernel",
    "Zygote",
    "ZygoteError",
    "ZygoteKernelManager",
    "available",
    "kernel_arguments",
    "serve",
]

_READY = b"wres-zygote-ready\n"
_PR_SET_PDEATHSIG = 1
_MAX_REQUEST = 1 << 20
#: Environment the zygote sets before importing anything (a kernel's defaults; BLAS threads
#: would only compete with the other kernels on a small machine).
_ZYGOTE_ENV = {
    # debugpy warns on import about Python's frozen modules; kernels get their own environment
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}


class ZygoteError(RuntimeError):
    """The zygote could not be started or could not fork a kernel."""


#: Set to "launch" to start an ordinary kernel per notebook instead of forking one.
KERNELS_ENV = "WRES_KERNELS"


def wanted() -> bool:
    """Fork kernels from a zygote unless ``WRES_KERNELS=launch`` or this system can't."""
    return os.environ.get(KERNELS_ENV, "fork").strip().lower() != "launch" and available()


def available() -> bool:
    """Whether kernels can be forked here (POSIX ``fork`` and ``AF_UNIX`` sockets)."""
    return hasattr(os, "fork") and hasattr(socket, "AF_UNIX") and hasattr(socket, "send_fds")


def kernel_arguments(cmd: Sequence[str]) -> list[str]:
    """Return the ipykernel arguments of a kernel command (what follows ``-m ipykernel_launcher``).

    Raises
    ------
    ZygoteError
        When the command does not start ipykernel (the zygote can only become an ipykernel).
    """
    for i, arg in enumerate(cmd[:-1]):
        if arg == "-m" and cmd[i + 1] in ("ipykernel_launcher", "ipykernel"):
            return list(cmd[i + 2 :])
    raise ZygoteError(f"not an ipykernel command, cannot fork it: {list(cmd)!r}")


# --------------------------------------------------------------------------------------------
# The zygote process
# --------------------------------------------------------------------------------------------


#: What every new ipykernel imports while it starts (its debugger alone, debugpy, costs about
#: 0.2 s of CPU), measured by listing ``sys.modules`` in a freshly launched kernel and in a
#: forked one (``tests/test_build_organisations.py`` checks that a forked kernel imports none
#: of it again).
_KERNEL_MODULES = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.debugger",
    "matplotlib_inline.backend_inline",
    "IPython.extensions.storemagic",
    "tornado.gen",
    "tornado.locks",
    "tornado.queues",
    "tornado.platform.asyncio",
    "sqlite3",
    "pdb",
    "psutil",
    "faulthandler",
    "resource",
    "runpy",
    "ipykernel_launcher",
    "IPython.core.completerlib",
    "IPython.core.debugger",
    "IPython.core.logger",
    "IPython.core.oinspect",
    "IPython.utils.wildcard",
)


def _preload(modules: Sequence[str]) -> None:
    """Import ``modules`` and what a kernel imports as it starts, then freeze the heap.

    ``gc.freeze()`` moves every object imported so far out of the collector's reach: a forked
    kernel's garbage collections then never walk (and so never copy) the zygote's memory, which
    would otherwise cost every kernel a copy-on-write fault for each page of the imports.
    """
    import gc
    import importlib

    for name in (*_KERNEL_MODULES, *modules):
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    gc.collect()
    gc.freeze()


def _set_parent_death_signal() -> None:
    """Ask Linux to SIGKILL this process when its parent (the zygote) exits."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(Exception):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _become_kernel(request: Mapping[str, Any], zygote_pid: int, zygote_cwd: str) -> None:
    """In the forked child: turn into the kernel the request describes; never returns."""
    status = 1
    try:
        os.setsid()
        _set_parent_death_signal()
        if os.getppid() != zygote_pid:  # the zygote died before the death signal was armed
            os._exit(1)
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD, signal.SIGPIPE):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        cwd = str(request.get("cwd") or zygote_cwd)
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update({str(k): str(v) for k, v in dict(request.get("env") or {}).items()})
        os.environ.setdefault("MPLBACKEND", _ZYGOTE_ENV["MPLBACKEND"])
        # what `python -m ipykernel_launcher` started in cwd would see
        if sys.path and sys.path[0] in ("", zygote_cwd):
            del sys.path[0]
        import ipykernel_launcher

        # ipykernel read JPY_PARENT_PID when the zygote imported it: watch the zygote instead
        args = [*request["args"], f"--IPKernelApp.parent_handle={zygote_pid}"]
        sys.argv = [ipykernel_launcher.__file__, *args]
        numpy = sys.modules.get("numpy")
        if numpy is not None:  # a fresh process seeds numpy's global generator afresh
            numpy.random.seed()
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp.instance()
        app.initialize(args)
        app.start()
        status = 0
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(status)


def _peer_uid(conn: socket.socket) -> int | None:
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return None
    raw = conn.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", raw)
    return uid


def _kill_group(pid: int, signum: int = signal.SIGKILL) -> None:
    for kill, target in ((os.killpg, pid), (os.kill, pid)):
        try:
            kill(target, signum)
            return
        except OSError:
            continue


def _exit_on_term(signum: int, frame: object) -> None:
    raise SystemExit(0)


def serve(path: str, modules: Sequence[str]) -> int:
    """Run the zygote: import ``modules``, then fork a kernel for each request on ``path``.

    A request is one line of JSON ``{"args": [...], "cwd": "...", "env": {...}}`` (the ipykernel
    arguments, the kernel's working directory and environment); the reply is one line
    ``{"pid": N}`` with a pidfd of the child attached when the platform has them, or
    ``{"error": "..."}``. Returns when standard input closes, after killing every child.
    """
    for key, value in _ZYGOTE_ENV.items():
        os.environ.setdefault(key, value)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle
    signal.signal(signal.SIGTERM, _exit_on_term)
    _preload(modules)
    zygote_pid, zygote_cwd = os.getpid(), os.getcwd()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    os.chmod(path, 0o600)
    listener.listen(128)
    children: set[int] = set()
    clients: dict[socket.socket, bytes] = {}
    os.write(1, _READY)
    os.dup2(2, 1)  # nobody reads the pipe after this line; kernels must not fill it
    try:
        while True:
            readable, _, _ = select.select([0, listener, *clients], [], [], 0.5)
            while children:
                try:
                    pid, _status = os.waitpid(-1, os.WNOHANG)
                except ChildProcessError:
                    children.clear()
                    break
                if pid == 0:
                    break
                children.discard(pid)
            if 0 in readable and not os.read(0, 4096):
                return 0  # the lifeline closed: the build is done or gone
            if listener in readable:
                conn, _ = listener.accept()
                if _peer_uid(conn) not in (None, os.getuid()):
                    conn.close()
                else:
                    clients[conn] = b""
            for conn in [c for c in readable if c in clients]:
                chunk = conn.recv(65536)
                buffer = clients[conn] + chunk
                if not chunk or len(buffer) > _MAX_REQUEST:
                    del clients[conn]
                    conn.close()
                    continue
                if b"\n" not in buffer:
                    clients[conn] = buffer
                    continue
                line, clients[conn] = buffer.split(b"\n", 1)
                _handle(conn, line, children, clients, listener, zygote_pid, zygote_cwd)
    except SystemExit:
        return 0
    finally:
        for pid in list(children):
            _kill_group(pid)
        for pid in list(children):
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        listener.close()
        with contextlib.suppress(OSError):
            os.unlink(path)
        with contextlib.suppress(OSError):  # the private folder, when the build could not
            os.rmdir(os.path.dirname(path))


def _handle(
    conn: socket.socket,
    line: bytes,
    children: set[int],
    clients: Mapping[socket.socket, bytes],
    listener: socket.socket,
    zygote_pid: int,
    zygote_cwd: str,
) -> None:
    try:
        request = json.loads(line)
        if not isinstance(request.get("args"), list):
            raise ValueError("request needs 'args'")
    except ValueError as exc:
        conn.sendall(json.dumps({"error": f"bad request: {exc}"}).encode() + b"\n")
        return
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        listener.close()
        for client in clients:
            client.close()
        _become_kernel(request, zygote_pid, zygote_cwd)
    children.add(pid)
    reply = json.dumps({"pid": pid}).encode() + b"\n"
    pidfd = None
    with contextlib.suppress(OSError, AttributeError):
        pidfd = os.pidfd_open(pid)  # before any reaping: it names this very process
    try:
        if pidfd is not None:
            socket.send_fds(conn, [reply], [pidfd])
        else:
            conn.sendall(reply)
    except OSError:  # the requester is gone: nobody will use this kernel
        _kill_group(pid)
    finally:
        if pidfd is not None:
            os.close(pidfd)


# --------------------------------------------------------------------------------------------
# The build's side
# --------------------------------------------------------------------------------------------


class ForkedKernel:
    """A ``Popen``-like handle on a kernel forked by the zygote (not the build's child).

    Uses a pidfd where available (no pid-reuse races; readable once the kernel exited), else
    polls the pid. ``returncode`` is ``-SIGKILL`` after :meth:`kill`, else 0 once exited (the
    real status belongs to the zygote, which reaps the kernel).
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int, pidfd: int | None) -> None:
        self.pid = pid
        self._pidfd = pidfd
        self.returncode: int | None = None
        self._killed = False
        self._lock = threading.Lock()

    def _exited(self) -> bool:
        if self._pidfd is not None:
            readable, _, _ = select.select([self._pidfd], [], [], 0)
            return bool(readable)
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        with contextlib.suppress(OSError):
            state = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            return state in ("Z", "X")
        return False

    def poll(self) -> int | None:
        """Return the exit code once the kernel has exited, else None."""
        with self._lock:
            if self.returncode is None and self._exited():
                self.returncode = -signal.SIGKILL if self._killed else 0
                self._close()
            return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait until the kernel has exited and return its exit code."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout or 0)
            time.sleep(0.02)
        return self.returncode  # type: ignore[return-value]

    def send_signal(self, signum: int) -> None:
        """Send ``signum`` to the kernel (through its pidfd when there is one)."""
        with self._lock:
            if self.returncode is not None:
                return
            if signum == signal.SIGKILL:
                self._killed = True
            if self._pidfd is not None:
                with contextlib.suppress(ProcessLookupError):
                    signal.pidfd_send_signal(self._pidfd, signum)
                return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signum)

    def kill(self) -> None:
        """SIGKILL the kernel and every process of its session's group."""
        with contextlib.suppress(OSError):
            os.killpg(self.pid, signal.SIGKILL)
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        """SIGTERM the kernel."""
        self.send_signal(signal.SIGTERM)

    def _close(self) -> None:
        if self._pidfd is not None:
            with contextlib.suppress(OSError):
                os.close(self._pidfd)
            self._pidfd = None

    def __del__(self) -> None:
        self._close()


class Zygote:
    """The build's handle on one zygote process.

    Parameters
    ----------
    modules
        Modules the zygote imports before forking kernels (missing ones are skipped).
    cwd
        The zygote's working directory (kernels change to their own); by default its private
        folder, which holds nothing but its socket, so that no module in the folder the build
        runs in can stand in for one it imports (``python -m`` puts that folder first on the
        path).
    """

    def __init__(self, modules: Sequence[str], cwd: Path | None = None) -> None:
        self._modules = tuple(modules)
        self._folder = Path(tempfile.mkdtemp(prefix="wres-zygote-"))  # mode 0700
        self._cwd = str(self._folder if cwd is None else cwd)
        self.socket_path = str(self._folder / "s")
        self.process: subprocess.Popen[bytes] | None = None
        self._ready = False

    def start(self) -> Zygote:
        """Start the zygote process (it keeps importing in the background); return self."""
        command = [sys.executable, "-m", __name__, self.socket_path]
        command += list(self._modules)
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=self._cwd
        )
        return self

    def wait_ready(self, timeout: float = 120.0) -> None:
        """Block until the zygote has imported everything and listens.

        Raises
        ------
        ZygoteError
            If it exits or does not get ready within ``timeout`` seconds.
        """
        if self._ready:
            return
        if self.process is None:
            raise ZygoteError("the zygote was not started")
        stdout = self.process.stdout
        assert stdout is not None
        readable, _, _ = select.select([stdout], [], [], timeout)
        line = stdout.readline() if readable else b""
        if line != _READY:
            self.close()
            raise ZygoteError(f"the kernel zygote did not start (got {line!r})")
        self._ready = True

    def fork_kernel(
        self, cmd: Sequence[str], *, cwd: str | None, env: Mapping[str, str] | None
    ) -> ForkedKernel:
        """Fork a kernel running ``cmd``'s ipykernel arguments; return its handle."""
        self.wait_ready()
        where = None if cwd is None else str(Path(cwd).absolute())
        request = {"args": kernel_arguments(cmd), "cwd": where, "env": dict(env or os.environ)}
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            try:
                conn.connect(self.socket_path)
                conn.sendall(json.dumps(request).encode() + b"\n")
                data, fds, _flags, _addr = socket.recv_fds(conn, 65536, 1)
            except OSError as exc:
                raise ZygoteError(f"cannot reach the kernel zygote: {exc}") from exc
        reply = json.loads(data.decode() or "{}")
        if "pid" not in reply:
            for fd in fds:
                os.close(fd)
            raise ZygoteError(f"the kernel zygote refused to fork: {reply.get('error', reply)}")
        return ForkedKernel(int(reply["pid"]), fds[0] if fds else None)

    def close(self, timeout: float = 10.0) -> None:
        """Stop the zygote: it kills every kernel it forked, then exits."""
        process, self.process = self.process, None
        if process is not None:
            with contextlib.suppress(OSError):
                if process.stdin is not None:
                    process.stdin.close()
            if not self._ready:  # still importing: it has forked nothing, stop it now
                process.kill()
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()
        shutil.rmtree(self._folder, ignore_errors=True)

    def __enter__(self) -> Zygote:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


def _manager_class() -> type:
    """Build the kernel manager and provisioner classes (Jupyter is imported only when used)."""
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_client.provisioning.local_provisioner import LocalProvisioner

    class ZygoteProvisioner(LocalProvisioner):  # type: ignore[misc]
        """Jupyter's local provisioner, but the kernel is forked by the zygote."""

        zygote: Zygote | None = None

        async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
            assert self.zygote is not None
            cwd = kwargs.get("cwd")
            self.process = self.zygote.fork_kernel(
                cmd, cwd=None if cwd is None else str(cwd), env=kwargs.get("env")
            )
            self.pid = self.process.pid
            self.pgid = self.process.pid  # the kernel leads its own session
            self.cwd = cwd or Path.cwd()
            return self.connection_info

    class ZygoteKernelManager(AsyncKernelManager):  # type: ignore[misc]
        """An ``AsyncKernelManager`` whose kernels are forked from a :class:`Zygote`."""

        def __init__(self, *, zygote: Zygote, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self._wres_zygote = zygote

        async def _async_pre_start_kernel(self, **kw: Any) -> Any:
            if self.provisioner is None:
                self.kernel_id = self.kernel_id or str(uuid.uuid4())
                provisioner = ZygoteProvisioner(
                    kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self
                )
                provisioner.zygote = self._wres_zygote
                self.provisioner = provisioner
            return await super()._async_pre_start_kernel(**kw)

    return ZygoteKernelManager


_MANAGER: type | None = None


def ZygoteKernelManager(*, zygote: Zygote, **kwargs: Any) -> Any:  # noqa: N802 - a class factory
    """Return a Jupyter ``AsyncKernelManager`` whose kernel will be forked from ``zygote``."""
    global _MANAGER
    if _MANAGER is None:
        _MANAGER = _manager_class()
    return _MANAGER(zygote=zygote, **kwargs)


if __name__ == "__main__":
    sys.exit(serve(sys.argv[1], sys.argv[2:]))
