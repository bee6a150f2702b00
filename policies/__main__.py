"""The booking platform's CrossGuard policy pack: assembly only.

``pulumi preview --policy-pack policies --policy-pack-config policies/config/<stack>.json``
runs this file with the pack directory first on ``sys.path``, hence the top-level
``rules`` import. Constructing ``PolicyPack`` starts the analyzer's gRPC server and
never returns, so nothing else may import this module; the rules live in ``rules/``.
"""

from pulumi_policy import EnforcementLevel, PolicyPack
from rules import PACK_NAME  # type: ignore[import-not-found]  # resolved from the pack directory
from rules.pack import build_policies  # type: ignore[import-not-found]

PolicyPack(
    name=PACK_NAME,
    policies=build_policies(),
    enforcement_level=EnforcementLevel.MANDATORY,
    description="CORS, throttling and guardrails of the booking platform (see docs/DEPLOYMENT.md).",
)
