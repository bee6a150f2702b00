"""What ``bookingctl local up`` prints once it is ready: where everything is, how to try
it, and what the emulator recorded rather than made."""

from __future__ import annotations

from devstack.backend import RecordedResource
from devstack.outputs import DevstackOutputs
from devstack.state import StateDir


def banner(outputs: DevstackOutputs, not_emulated: dict[str, list[RecordedResource]], seconds: float) -> str:
    api = outputs.api_url
    users = outputs.demo_users
    patient = next((user for user in users if user.role == "Patient"), users[0] if users else None)
    outputs_file = StateDir().outputs
    lines = [
        "",
        f"booking-platform devstack ({outputs.stack}) ready in {seconds:.1f}s",
        f"  web app        {outputs.web_url}  (the API also at {outputs.web_url}/api)",
        f"  sign-in        {outputs.sign_in_url}  (the user pool's managed login)",
        f"  API            {api}",
        f"  AWS emulator   {outputs.aws_endpoint_url}  (region {outputs.region}, dummy credentials)",
        f"  table          {outputs.table_name}",
        f"  user pool      {outputs.user_pool_id}  client {outputs.user_pool_client_id}",
        f"  outbox         {outputs.outbox}  (every email SES accepted, as .eml)",
        f"  outputs        {outputs_file}",
    ]
    if users:
        lines.append("  demo users     " + ", ".join(f"{user.email} ({user.role})" for user in users))
    if patient:
        lines += [
            "",
            "Try it:",
            f"  open {outputs.web_url} and sign in as {patient.email} (passwords in {outputs_file})",
            f"  TOKEN=$(bookingctl local token --email {patient.email})",
            # Through the distribution: a stack that refuses direct calls (qas, prd) answers
            # the gateway's own address with 403 ORIGIN_REFUSED.
            f"  curl {outputs.web_url}/api/health",
            f'  curl -H "Authorization: Bearer $TOKEN" {outputs.web_url}/api/professionals',
            f"  # tenant {patient.tenant_id}: passwords are in {outputs_file}",
            "  bookingctl local tick --now 2030-01-01T00:00:00Z   # fire reminders that are due by then",
        ]
    for heading, created in (("Recorded, not emulated:", False), ("Created, not fully emulated:", True)):
        kinds = {kind: items for kind, items in not_emulated.items() if items[0].created is created}
        if kinds:
            lines += ["", heading]
        for resource_type, items in sorted(kinds.items()):
            names = ", ".join(item.name for item in items)
            lines.append(f"  {resource_type}: {names} ({items[0].reason})")
    if outputs.not_emulated_invokes:
        lines += [
            "",
            "Invokes not emulated (answered with nothing): " + ", ".join(outputs.not_emulated_invokes),
        ]
    lines += ["", "Ctrl-C stops it."]
    return "\n".join(lines)
