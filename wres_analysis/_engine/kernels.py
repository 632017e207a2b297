"""Warm, single-use Jupyter kernels.

Starting a kernel and importing pandas, matplotlib and seaborn costs about two seconds of CPU
per chapter. A :class:`WarmKernels` source starts the kernel for the *next* notebook while the
current one runs, with those imports already done (IPython's ``exec_lines``, which neither store
history nor leave names behind). Every kernel still runs exactly one notebook and is then shut
down, so no chapter sees another's state.

With a :class:`~wres_analysis._engine.zygote.Zygote`, kernels are not launched but forked from a
process that imported those modules once (about 0.1 s instead of 1.5 s of CPU each); every
kernel is still new and runs one notebook only.

A source belongs to one worker thread: Jupyter's asynchronous kernel managers are bound to the
event loop of the thread that started them, and Papermill runs the notebook in that same loop.
The shared :class:`KernelRegistry` lets the main thread kill every live kernel on an interrupt.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

if TYPE_CHECKING:
    from .zygote import Zygote

__all__ = [
    "KernelRegistry",
    "WarmKernels",
    "warmup_code",
]

#: The kernelspec whose command Jupyter maps to the build's own interpreter.
KERNEL_NAME = "python3"


def warmup_code(modules: Sequence[str]) -> str:
    """Return start-up code that imports ``modules`` and leaves no names in the namespace."""
    return (
        "import importlib as _wres_il\n"
        f"for _wres_m in {tuple(modules)!r}:\n"
        "    try:\n"
        "        _wres_il.import_module(_wres_m)\n"
        "    except Exception:\n"
        "        pass\n"
        "del _wres_il, _wres_m\n"
    )


class KernelRegistry:
    """Every kernel alive in this build, so that an interrupt can kill them all."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._live: set[AsyncKernelManager] = set()

    def add(self, km: AsyncKernelManager) -> None:
        """Record a started kernel."""
        with self._lock:
            self._live.add(km)

    def discard(self, km: AsyncKernelManager) -> None:
        """Forget a kernel that has been shut down."""
        with self._lock:
            self._live.discard(km)

    def kill_all(self) -> None:
        """Kill every live kernel process at once (safe from any thread)."""
        with self._lock:
            live = list(self._live)
        for km in live:
            process = getattr(getattr(km, "provisioner", None), "process", None)
            if process is not None and process.poll() is None:
                process.kill()


class WarmKernels:
    """Kernels for one worker thread: one in use, at most one warming up for the next notebook.

    Parameters
    ----------
    cwd
        Working directory of every kernel (the notebooks' folder).
    registry
        Where started kernels are recorded.
    modules
        Modules to import before a kernel is handed out.
    zygote
        When given, kernels are forked from it instead of launched.
    """

    def __init__(
        self,
        cwd: Path,
        registry: KernelRegistry,
        modules: Sequence[str] = (),
        zygote: Zygote | None = None,
    ) -> None:
        self._cwd = Path(cwd)
        self._registry = registry
        self._modules = tuple(modules)
        self._zygote = zygote
        self._spare: AsyncKernelManager | None = None

    def _start(self) -> AsyncKernelManager:
        if self._zygote is not None:
            from .zygote import ZygoteKernelManager

            km = ZygoteKernelManager(zygote=self._zygote, kernel_name=KERNEL_NAME)
        else:
            km = AsyncKernelManager(kernel_name=KERNEL_NAME)
        extra = [
            "--HistoryManager.enabled=False",
            "--IPKernelApp.log_level=ERROR",
            f"--IPKernelApp.exec_lines={warmup_code(self._modules)}",
        ]
        run_sync(km.start_kernel)(extra_arguments=extra, cwd=str(self._cwd))
        self._registry.add(km)
        return km

    def take(self, *, prestart_next: bool) -> AsyncKernelManager:
        """Return a started kernel for one notebook; optionally start the next one now.

        The kernel may still be importing; Papermill waits until it is ready.
        """
        km = self._spare if self._spare is not None else self._start()
        self._spare = None
        if prestart_next:
            try:
                self._spare = self._start()
            except Exception as exc:  # the next take() tries again and reports the failure
                print(f"warning: could not pre-start a kernel: {exc}", file=sys.stderr)
        return km

    def release(self, km: AsyncKernelManager) -> None:
        """Shut a used kernel down (it never runs a second notebook)."""
        try:
            run_sync(km.shutdown_kernel)(now=True)
        except Exception as exc:  # a dying kernel must not fail the build
            print(f"warning: could not shut a kernel down cleanly: {exc}", file=sys.stderr)
        finally:
            self._registry.discard(km)

    def close(self) -> None:
        """Shut down the spare kernel, if any."""
        if self._spare is not None:
            spare, self._spare = self._spare, None
            self.release(spare)
