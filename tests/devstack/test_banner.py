from devstack.backend import RecordedResource
from devstack.up import banner

OUTPUTS = {
    "stack": "dev",
    "apiUrl": "http://127.0.0.1:8080",
    "awsEndpointUrl": "http://127.0.0.1:5000",
    "region": "us-east-1",
    "tableName": "booking-dev-bookings",
    "userPoolId": "us-east-1_x",
    "userPoolClientId": "client",
    "outbox": "/tmp/.devstack/outbox",
    "demoUsers": [
        {"email": "owner@demo-clinic.test", "password": "p", "role": "Owner", "tenantId": "demo-clinic"},
        {"email": "patient@demo-clinic.test", "password": "p", "role": "Patient", "tenantId": "demo-clinic"},
    ],
}


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
    text = banner({**OUTPUTS, "notEmulatedInvokes": ["aws:ec2/getVpc:getVpc"]}, recorded, 1.0)

    assert "aws:wafv2/webAcl:WebAcl: edge (no CDN here)" in text
    assert "aws:ec2/getVpc:getVpc" in text
