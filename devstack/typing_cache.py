"""An unbounded cache for ``typing``'s subscriptions, in the deployment's own process.

Importing the pulumi_aws service packages the program uses is about half of the
program's run (wafv2 alone 1.3-1.7 s on the 2-core machine: thousands of ``*Args``
classes whose annotations are ``Optional[pulumi.Input[Sequence[...]]]``). ``typing``
caches each subscription in an ``functools.lru_cache`` of 128 entries, far fewer than
the distinct subscriptions of one service package, so most are built again. With an
unbounded cache for the three ``__getitem__`` the annotations go through, importing
wafv2, s3 and cloudfront takes 0.7-0.85 of the time (benchmarks/README.md).

Only for the short-lived process that runs the program (``devstack.deploy_process``):
it changes nothing but how often an equal subscription is rebuilt — the cached values
are the ones ``typing`` returns, unhashable arguments still go uncached, as in
``typing._tp_cache``. On a Python whose ``typing`` is laid out differently it does nothing.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable
from typing import Any

# The subscriptions of the annotations pulumi_aws's classes carry: Optional[...] and
# Union[...] (_SpecialForm), Input[...] and Sequence[...] (_GenericAlias, _SpecialGenericAlias).
_OWNERS = ("_SpecialForm", "_GenericAlias", "_SpecialGenericAlias")


def _unbounded(uncached: Callable[..., Any]) -> Callable[..., Any]:
    cached = functools.lru_cache(maxsize=None)(uncached)

    @functools.wraps(uncached)
    def getitem(*args: Any, **kwargs: Any) -> Any:
        try:
            return cached(*args, **kwargs)
        except TypeError:
            pass  # unhashable arguments: as typing does, build it (a real error raises here)
        return uncached(*args, **kwargs)

    return getitem


def use_unbounded_typing_cache() -> list[str]:
    """Swap typing's 128-entry caches for unbounded ones; returns the classes changed."""
    changed = []
    for owner_name in _OWNERS:
        owner = getattr(typing, owner_name, None)
        method = owner.__dict__.get("__getitem__") if isinstance(owner, type) else None
        uncached = getattr(method, "__wrapped__", None)
        if owner is None or uncached is None:
            continue  # not the layout this was written for (Python 3.11's typing): leave it
        owner.__getitem__ = _unbounded(uncached)
        changed.append(owner_name)
    return changed
