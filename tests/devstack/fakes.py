import json


class RecordingInvoker:
    """An invoker that records each call and answers (or raises) what it was given."""

    def __init__(self, answers=None):
        self.calls = []
        self.answers = list(answers or [])

    def invoke(self, function_name, event):
        self.calls.append((function_name, json.loads(json.dumps(event))))
        answer = self.answers.pop(0) if self.answers else {}
        if isinstance(answer, Exception):
            raise answer
        return answer


def demo_user(role, email=None, password=None, tenant_id="demo-clinic"):
    """A ``demoUsers`` entry (of the demo tenant unless told)."""
    from devstack.outputs import DemoUser

    return DemoUser(
        email=email or f"{role.lower()}@demo-clinic.test",
        password=password or "p",
        role=role,
        tenant_id=tenant_id,
        user_id=f"sub-{role.lower()}",
    )


def devstack_outputs(**changes):
    """The outputs of a devstack that is not running (nothing answers at its URLs)."""
    from devstack.outputs import DevstackOutputs

    values = {
        "stack": "dev",
        "api_url": "http://127.0.0.1:8080",
        "web_url": "http://127.0.0.1:8081",
        "sign_in_url": "http://127.0.0.1:8082",
        "aws_endpoint_url": "http://127.0.0.1:5000",
        "region": "us-east-1",
        "user_pool_id": "us-east-1_x",
        "user_pool_client_id": "client",
        "table_name": "booking-dev-bookings",
        "demo_users": (demo_user("Owner"), demo_user("Patient")),
        "outbox": "/tmp/.devstack/outbox",
        "stack_outputs": {},
        "not_emulated": (),
        "not_emulated_invokes": (),
    }
    return DevstackOutputs(**(values | changes))
