"""Settings shared by every test directory.

Hypothesis profiles: under ``CI=true`` every run draws the same examples (derandomized,
no example database), so a red CI run is reproducible from its log and never depends on
what an earlier run left in ``.hypothesis/``. Locally the default stays random, with the
database, so each run explores new examples and replays the last failure first.
``HYPOTHESIS_PROFILE`` picks a profile explicitly (e.g. ``HYPOTHESIS_PROFILE=ci``).
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

# Hypothesis's own "ci" profile (no deadline, too_slow suppressed) made explicit here.
settings.register_profile("ci", settings.get_profile("ci"), derandomize=True, database=None, print_blob=True)
settings.register_profile("dev", settings.get_profile("default"))

_IN_CI = os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}
_DEFAULT_PROFILE = "ci" if _IN_CI else "dev"
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", _DEFAULT_PROFILE))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Give every test its own id, and keep an ``xdist_group`` on one xdist worker
    (all of ``tests/e2e`` on the worker that runs its one devstack).

    Two incompatibilities with pytest 9, which keeps a node's id in ``item._id``:
    schemathesis still writes each operation's id (``…[GET /tenant]``) to
    ``item._nodeid``, so all its tests share one id and xdist's group and scope
    schedulers (keyed by id) run only one of them; and pytest-xdist 3.8 writes its
    ``@group`` suffix to ``_nodeid`` too, so ``--dist loadgroup`` spreads the group over
    every worker (each then starting a devstack). Both are put where pytest 9 reads them.
    """
    from _pytest.nodeid import coerce_node_id

    grouping = bool(config.getoption("loadgroup", default=False))
    for item in items:
        if not hasattr(item, "_id"):
            return  # an older pytest: the plugins' own ids already work
        node_id = item.nodeid
        if not node_id.endswith(f"::{item.name}"):
            node_id = f"{node_id.rsplit('::', 1)[0]}::{item.name}"
        groups = sorted({str(mark.args[0]) for mark in item.iter_markers("xdist_group") if mark.args})
        suffix = f"@{'_'.join(groups)}"
        if grouping and groups and not node_id.endswith(suffix):
            node_id += suffix
        if node_id != item.nodeid:
            item._id = coerce_node_id(node_id)
