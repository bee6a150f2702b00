"""Settings shared by every test directory.

Hypothesis profiles: under ``CI=true`` every run draws the same examples (derandomized,
no example database), so a red CI run is reproducible from its log and never depends on
what an earlier run left in ``.hypothesis/``. Locally the default stays random, with the
database, so each run explores new examples and replays the last failure first.
``HYPOTHESIS_PROFILE`` picks a profile explicitly (e.g. ``HYPOTHESIS_PROFILE=ci``).
"""

from __future__ import annotations

import os

from hypothesis import settings

# Hypothesis's own "ci" profile (no deadline, too_slow suppressed) made explicit here.
settings.register_profile("ci", settings.get_profile("ci"), derandomize=True, database=None, print_blob=True)
settings.register_profile("dev", settings.get_profile("default"))

_IN_CI = os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}
_DEFAULT_PROFILE = "ci" if _IN_CI else "dev"
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", _DEFAULT_PROFILE))
