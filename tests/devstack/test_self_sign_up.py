"""Patients sign themselves up to the devstack's pool over HTTP, as the web app does
(Cognito's ``SignUp``/``ConfirmSignUp`` at the origin of the app's ``authority``, the
clinic named by ``ClientMetadata.webAddress``), and the pool's emails reach the outbox
in the clinic's words: the devstack runs the pool's triggers that moto does not."""

from __future__ import annotations

import re
import uuid
from html import unescape
from urllib.parse import urlsplit

import boto3
import pytest
import requests
from botocore.exceptions import ClientError

from devstack.access import SignInError, password_sign_in, sign_in
from devstack.up import UpOptions, start_devstack
from tests.devstack.oauth_flow import Browser, pkce_pair, query_of
from tests.outbox import html_of, mail_to

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("devstack-sign-up")]
TIMEOUT = 30
PASSWORD = "Patient-Pass-2026!"
OWNER = "owner@demo-clinic.test"
DEMO = "demo-clinic"


@pytest.fixture(scope="module")
def devstack(tmp_path_factory):
    state_dir = tmp_path_factory.mktemp("sign-up") / ".devstack"
    options = UpOptions(stack="dev", port=0, web_port=0, login_port=0, state_dir=state_dir)
    running = start_devstack(options, printer=lambda _text: None)
    try:
        yield running.outputs
    finally:
        running.stop()


def api(outputs, method: str, path: str, token: str, **kwargs) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"}
    return requests.request(method, f"{outputs.api_url}{path}", headers=headers, timeout=TIMEOUT, **kwargs)


def set_sign_up(outputs, enabled: bool) -> None:
    owner = sign_in(outputs, OWNER).id_token
    answer = api(outputs, "PATCH", "/tenant", owner, json={"signUpEnabled": enabled})
    assert answer.status_code == 200, answer.text


def public_cognito(outputs):
    """Cognito's public API where the browser calls it: the origin of the app's authority."""
    authority = requests.get(f"{outputs.web_url}/config.json", timeout=TIMEOUT).json()["authority"]
    origin = urlsplit(authority)._replace(path="", query="", fragment="").geturl()
    return boto3.client("cognito-idp", endpoint_url=origin, region_name=outputs.region)


def sign_up(outputs, address: str, web_address: str, **attributes: str):
    return public_cognito(outputs).sign_up(
        ClientId=outputs.user_pool_client_id,
        Username=address,
        Password=PASSWORD,
        UserAttributes=[{"Name": name, "Value": value} for name, value in attributes.items()],
        ClientMetadata={"webAddress": web_address},
    )


def test_a_patient_signs_up_with_the_emailed_code_and_lands_as_a_patient_of_that_clinic_only(devstack):
    outputs = devstack
    set_sign_up(outputs, True)
    address = f"ana-{uuid.uuid4().hex[:8]}@example.com"
    answer = sign_up(outputs, address, DEMO, name="Ana Pérez")
    assert answer["UserConfirmed"] is False
    assert answer["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    (message,) = mail_to(outputs.outbox, address)
    assert message["Subject"] == "Tu código de verificación para Clínica Dental Sonrisa (demo)"
    code = re.search(r"<strong>(\d{6})</strong>", html_of(message))
    assert code is not None, html_of(message)
    cognito = public_cognito(outputs)
    wrong = f"{(int(code.group(1)) + 1) % 10**6:06d}"
    with pytest.raises(ClientError, match="CodeMismatchException"):
        cognito.confirm_sign_up(
            ClientId=outputs.user_pool_client_id, Username=address, ConfirmationCode=wrong
        )
    cognito.confirm_sign_up(
        ClientId=outputs.user_pool_client_id,
        Username=address,
        ConfirmationCode=code.group(1),
        ClientMetadata={"webAddress": DEMO},
    )
    tokens = password_sign_in(
        outputs.client("cognito-idp"),
        user_pool_id=outputs.user_pool_id,
        client_id=outputs.user_pool_client_id,
        email=address,
        password=PASSWORD,
    )
    me = api(outputs, "GET", "/me", tokens.id_token)
    assert me.status_code == 200, me.text
    assert (me.json()["role"], me.json()["tenantId"], me.json()["name"]) == ("Patient", DEMO, "Ana Pérez")
    assert api(outputs, "GET", "/users", tokens.id_token).status_code == 403  # a patient, nothing more
    reception = sign_in(outputs, "reception@demo-clinic.test").id_token
    found = api(outputs, "GET", "/users", reception, params={"q": address})
    assert [user["email"] for user in found.json()["items"]] == [address]


def test_a_clinic_with_sign_up_off_or_unknown_refuses_and_nobody_is_created(devstack):
    outputs = devstack
    set_sign_up(outputs, False)
    cognito = outputs.client("cognito-idp")
    for web_address, reason in ((DEMO, "SIGN_UP_CLOSED"), ("no-such-clinic", "CLINIC_NOT_FOUND")):
        address = f"closed-{uuid.uuid4().hex[:8]}@example.com"
        with pytest.raises(ClientError, match=f"UserLambdaValidationException.*{reason}"):
            sign_up(outputs, address, web_address)
        with pytest.raises(ClientError, match="UserNotFoundException"):
            cognito.admin_get_user(UserPoolId=outputs.user_pool_id, Username=address)


def test_a_patient_cannot_choose_a_tenant_in_the_sign_up_nor_write_it_afterwards(devstack):
    outputs = devstack
    set_sign_up(outputs, True)
    address = f"sly-{uuid.uuid4().hex[:8]}@example.com"
    with pytest.raises(ClientError, match="NotAuthorizedException"):
        sign_up(outputs, address, DEMO, **{"custom:tenant_id": "another-clinic"})
    patient = sign_in(outputs, "patient@demo-clinic.test")
    with pytest.raises(ClientError, match="NotAuthorizedException"):
        outputs.client("cognito-idp").update_user_attributes(
            AccessToken=patient.access_token,
            UserAttributes=[{"Name": "custom:tenant_id", "Value": "another-clinic"}],
        )


def test_an_invited_user_gets_the_clinics_invitation_with_a_working_temporary_password(devstack):
    outputs = devstack
    owner = sign_in(outputs, OWNER).id_token
    address = f"rita-{uuid.uuid4().hex[:8]}@example.com"
    created = api(
        outputs, "POST", "/users", owner, json={"email": address, "role": "Reception", "name": "Rita"}
    )
    assert created.status_code == 201, created.text
    (message,) = mail_to(outputs.outbox, address)
    assert message["Subject"] == "Tu acceso a Clínica Dental Sonrisa (demo)"
    html = html_of(message)
    assert address in html
    assert "Rita" in html
    password = re.search(r"contraseña temporal: <strong[^>]*>([^<]+)</strong>", html)
    assert password is not None, html
    answer = outputs.client("cognito-idp").admin_initiate_auth(
        UserPoolId=outputs.user_pool_id,
        ClientId=outputs.user_pool_client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": address, "PASSWORD": password.group(1)},
    )
    assert answer["ChallengeName"] == "NEW_PASSWORD_REQUIRED"


def test_a_browser_may_call_the_public_api_from_the_app_and_never_the_admin_api(devstack):
    outputs = devstack
    cognito_origin = public_cognito(outputs).meta.endpoint_url
    preflight = requests.options(
        f"{cognito_origin}/",
        headers={
            "Origin": outputs.web_url,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-amz-target,x-amz-user-agent",
        },
        timeout=TIMEOUT,
    )
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "x-amz-target" in preflight.headers["Access-Control-Allow-Headers"]
    admin = requests.post(
        f"{cognito_origin}/",
        data=b'{"UserPoolId": "x", "Username": "y"}',
        headers={
            "X-Amz-Target": "AWSCognitoIdentityProviderService.AdminDeleteUser",
            "Origin": outputs.web_url,
        },
        timeout=TIMEOUT,
    )
    assert admin.status_code == 400
    assert admin.json()["__type"] == "MissingAuthenticationTokenException"


def test_an_invited_user_chooses_a_new_password_on_the_sign_in_page_and_gets_tokens(devstack):
    """The invitation's temporary password on the managed login's page: Cognito's
    NEW_PASSWORD_REQUIRED step, then the authorization code as for any sign-in."""
    outputs = devstack
    owner = sign_in(outputs, OWNER).id_token
    address = f"nora-{uuid.uuid4().hex[:8]}@example.com"
    created = api(
        outputs, "POST", "/users", owner, json={"email": address, "role": "Dentist", "name": "Nora"}
    )
    assert created.status_code == 201, created.text
    (message,) = mail_to(outputs.outbox, address)
    temporary = re.search(r"contraseña temporal: <strong[^>]*>([^<]+)</strong>", html_of(message))
    assert temporary is not None
    config = requests.get(f"{outputs.web_url}/config.json", timeout=TIMEOUT).json()
    browser = Browser.for_app(outputs.sign_in_url, config, outputs.web_url)
    verifier, challenge = pkce_pair()

    step = browser.submit(browser.sign_in_page(challenge, lang="es"), address, unescape(temporary.group(1)))
    assert step.status_code == 200, step.text
    assert "<h1>Elige una nueva contraseña</h1>" in step.text
    assert '<label for="newPassword">Nueva contraseña</label>' in step.text
    assert '<label for="confirmPassword">Repite la nueva contraseña</label>' in step.text
    assert "cognito" not in browser.session.cookies, "not signed in before the new password"

    mismatch = browser.choose_password(step, "Nora-Pass-2026!", "Nora-Pass-2027!")
    assert 'role="alert">Las dos contraseñas no coinciden.' in mismatch.text
    weak = browser.choose_password(mismatch, "short", "short")
    assert 'role="alert">La contraseña no cumple la política de la clínica:' in weak.text

    signed_in = browser.choose_password(weak, "Nora-Pass-2026!", "Nora-Pass-2026!")
    assert signed_in.status_code == 302, signed_in.text
    location = signed_in.headers["Location"]
    assert location.startswith(f"{browser.redirect_uri}?")
    tokens = browser.exchange(query_of(location)["code"], verifier)
    assert tokens.status_code == 200, tokens.text
    me = api(outputs, "GET", "/me", tokens.json()["id_token"])
    assert me.status_code == 200, me.text
    assert (me.json()["email"], me.json()["role"]) == (address, "Dentist")
    # The new password is the one from now on; the temporary one no longer signs in.
    assert sign_in(outputs, address, "Nora-Pass-2026!").id_token
    with pytest.raises(SignInError):
        sign_in(outputs, address, unescape(temporary.group(1)))
