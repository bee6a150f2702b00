"""One invocation of the catalogs function as Lambda runs it with active tracing, in the
interpreter of its own that ``test_tracing`` starts (X-Ray patches botocore process-wide).

    python -m tests.lambdas.traced_invocation

The environment says where the segments go (``AWS_XRAY_DAEMON_ADDRESS``) and carries
the trace header Lambda sets (``_X_AMZN_TRACE_ID``). DynamoDB is moto's, in process.
Prints the answer's status, whether the X-Ray SDK was loaded by the import and by the
invocation, and the modules X-Ray patched, as JSON.
"""

from __future__ import annotations

import io
import json
import sys
from contextlib import redirect_stdout

import boto3
from booking.adapters import dynamodb_items as items
from booking.domain.roles import Role
from booking.routes import find_route
from moto import mock_aws

from tests.aws import REGION, TABLE_NAME, create_table
from tests.lambdas.events import LambdaContext, claims, http_event
from tests.notification_support import PATIENT_ID, TENANT_ID, make_patient, make_professional, make_tenant


def main() -> None:
    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        create_table(dynamodb, TABLE_NAME)
        # The caller's user record too: every request reads it (a disabled user is refused).
        seeded = (items.tenant_item(make_tenant()), items.professional_item(make_professional()))
        for item in (*seeded, items.user_item(make_patient())):
            dynamodb.put_item(TableName=TABLE_NAME, Item=item)
        from booking.handlers import catalogs

        loaded_before = "aws_xray_sdk" in sys.modules
        event = http_event(
            find_route("GET", "/professionals"), token_claims=claims(Role.PATIENT, TENANT_ID, PATIENT_ID)
        )
        with redirect_stdout(io.StringIO()):  # Powertools' JSON logs and metrics
            answer = catalogs.handler(event, LambdaContext(function_name="booking-test-catalogs"))  # type: ignore[arg-type]
    loaded_after = "aws_xray_sdk" in sys.modules
    patched: list[str] = []
    if loaded_after:
        from aws_xray_sdk.core import patcher  # type: ignore[import-untyped]

        patched = sorted(patcher._PATCHED_MODULES)
    result = {
        "status": answer["statusCode"],
        "xray_loaded": {"at_import": loaded_before, "by_the_invocation": loaded_after},
        "patched": patched,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
