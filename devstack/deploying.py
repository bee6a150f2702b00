"""``local up``'s deploy step: the stack's program run onto the emulator, or the
deployment's snapshot restored into it (``devstack.snapshot``), said in the step's line.

A full deploy runs the program in a process of its own (``DeploymentProcess``, usually
started by the caller before the emulator) or, when the options say so, in this one
(tests that change the program). After a full deploy with snapshots on, the emulator's
state is saved before anything else (pumps, seed) writes to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from devstack.adapters.base import EmulatorContext
from devstack.configuration import deployment_overrides
from devstack.deploy_process import Deployed, DeploymentProcess, start_deployment
from devstack.options import UpOptions
from devstack.seed import allowed_recipients
from devstack.snapshot import SnapshotPlan, SnapshotUnusable, restore_snapshot, save_snapshot
from devstack.steps import Step

if TYPE_CHECKING:
    from devstack.seed import Seed


def deploy_or_restore(
    options: UpOptions,
    context: EmulatorContext,
    step: Step,
    plan: SnapshotPlan | None,
    deployment: DeploymentProcess | None,
    seed: Seed | None,
) -> tuple[Deployed, DeploymentProcess | None]:
    """What the deployment produced, and the program's process if one ran (to stop).
    ``seed``: the seed that will be loaded (its users join SES's allow-list), or None."""
    reason = plan.reason if plan else ""
    if plan is not None and plan.restorable:
        with step(f"restoring the deployment of stack {options.stack} from {plan.shown_path()}") as note:
            try:
                deployed = restore_snapshot(plan)
                note(
                    f"restored the deployment of {plan.key} from {plan.shown_path()} "
                    f"({len(deployed.inventory.resources)} resources of stack {options.stack})"
                )
                return deployed, deployment
            except SnapshotUnusable as error:
                reason = f"the snapshot {plan.shown_path()} cannot be restored ({error})"
                note(f"{reason}: deploying instead")
    why = f" ({reason})" if reason else ""
    with step(f"deploying stack {options.stack} onto the emulator{why}") as note:
        if deployment is None and options.deploy_in_child:
            deployment = start_deployment(options, seed)
        deployed = deployment.deploy(context) if deployment else _deploy_here(options, context, seed)
        saved = ""
        if plan is not None and plan.saves:
            size = save_snapshot(plan, deployed, context.region)
            saved = f", saved as {plan.key} in {plan.shown_path()} ({size / 1e6:.1f} MB)"
        note(f"deployed {len(deployed.inventory.resources)} resources of stack {options.stack}{saved}")
    return deployed, deployment


def _deploy_here(options: UpOptions, context: EmulatorContext, seed: Seed | None) -> Deployed:
    """The program in this process (``deploy_in_child=False``): a test's monkeypatches apply."""
    from devstack.backend import EmulatorBackend
    from engine.run import run_program  # Pulumi: only when the program runs here

    backend = EmulatorBackend(context)
    overrides = deployment_overrides(
        options.stack,
        demo_emails=allowed_recipients(seed),
        config_overrides=options.config_overrides,
    )
    inventory = run_program(options.stack, backend, config_overrides=overrides)
    return Deployed(inventory, backend.recorded, backend.recorded_invokes)
