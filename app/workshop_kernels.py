"""The workshop app's kernel manager (``make workshop``): culling that never takes a page's kernel too early.

Voilà hands a page a pre-run ("preheated") kernel that may have sat idle in its pool for hours. Plain culling
(``cull_idle_timeout``) would shut it down before the page's browser has even connected, and the page would
wait forever. Here a kernel that no page has connected to yet gets ``cull_idle_timeout`` seconds of grace from
the first time the culler sees it outside the pool; after that, or once a page has connected and gone, the
usual rule applies (no connection and idle for ``cull_idle_timeout``), so closed pages still free their kernels.
"""

from __future__ import annotations

import time

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager


class WorkshopKernelManager(AsyncMappingKernelManager):
    """``AsyncMappingKernelManager`` with a grace period for kernels no page has connected to yet."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._connected_once: set[str] = set()
        self._first_seen: dict[str, float] = {}

    async def cull_kernel_if_idle(self, kernel_id: str):
        if self._kernel_connections.get(kernel_id, 0) > 0:
            self._connected_once.add(kernel_id)
        if kernel_id not in self._connected_once:
            first = self._first_seen.setdefault(kernel_id, time.monotonic())
            if time.monotonic() - first < self.cull_idle_timeout:
                return None
        return await super().cull_kernel_if_idle(kernel_id)

    async def shutdown_kernel(self, kernel_id: str, *args, **kwargs):
        self._connected_once.discard(kernel_id)
        self._first_seen.pop(kernel_id, None)
        return await super().shutdown_kernel(kernel_id, *args, **kwargs)
