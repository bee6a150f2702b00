from devstack.backend import RecordedResource
from devstack.banner import banner
from devstack.outputs import DemoUser, DevstackOutputs


def _user(role: str) -> DemoUser:
    email = f"{role.lower()}@demo-clinic.test"
    return DemoUser(email=email, password="p", role=role, tenant_id="demo-clinic", user_id=f"sub-{role}")


OUTPUTS = DevstackOutputs(
    stack="dev",
    api_url="http://127.0.0.1:8080",
    aws_endpoint_url="http://127.0.0.1:5000",
    region="us-east-1",
    table_name="booking-dev-bookings",
    user_pool_id="us-east-1_x",
    user_pool_client_id="client",
    outbox="/tmp/.devstack/outbox",
    demo_users=(_user("Owner"), _user("Patient")),
    stack_outputs={},
    not_emulated=(),
    not_emulated_invokes=(),
)


def test_the_banner_names_the_api_a_token_command_two_curls_and_the_outbox():
    text = banner(OUTPUTS, {}, 3.2)

    assert "ready in 3.2s" in text
    assert "bookingctl local token --email patient@demo-clinic.test" in text
    assert text.count("curl ") == 2
    assert "/tmp/.devstack/outbox" in text
    assert "Recorded, not emulated" not in text


def test_the_banner_lists_every_recorded_type_and_unanswered_invoke():
    recorded = {
        "aws:wafv2/webAcl:WebAcl": [RecordedResource("aws:wafv2/webAcl:WebAcl", "edge", "no CDN here")],
    }
    outputs = OUTPUTS.model_copy(update={"not_emulated_invokes": ("aws:ec2/getVpc:getVpc",)})
    text = banner(outputs, recorded, 1.0)

    assert "aws:wafv2/webAcl:WebAcl: edge (no CDN here)" in text
    assert "aws:ec2/getVpc:getVpc" in text
