from devstack.backend import RecordedResource
from devstack.banner import banner
from tests.devstack.fakes import devstack_outputs


def test_the_banner_names_the_api_a_token_command_two_curls_and_the_outbox():
    text = banner(devstack_outputs(), {}, 3.2)

    assert "ready in 3.2s" in text
    assert "bookingctl local token --email patient@demo-clinic.test" in text
    assert text.count("curl ") == 2
    assert "/tmp/.devstack/outbox" in text
    assert "Recorded, not emulated" not in text


def test_the_banner_lists_every_recorded_type_and_unanswered_invoke():
    recorded = {
        "aws:wafv2/webAcl:WebAcl": [RecordedResource("aws:wafv2/webAcl:WebAcl", "edge", "no CDN here")],
    }
    text = banner(devstack_outputs(not_emulated_invokes=("aws:ec2/getVpc:getVpc",)), recorded, 1.0)

    assert "aws:wafv2/webAcl:WebAcl: edge (no CDN here)" in text
    assert "aws:ec2/getVpc:getVpc" in text
