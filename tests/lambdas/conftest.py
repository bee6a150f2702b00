"""Every function's environment, as its settings model expects it (read at cold start)."""

import os

for name, value in {
    "STAGE": "test",
    "TABLE_NAME": "booking-test",
    "POWERTOOLS_SERVICE_NAME": "booking",
    "POWERTOOLS_METRICS_NAMESPACE": "BookingPlatformTest",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "USER_POOL_ID": "us-east-1_test",
    "APP_VERSION": "0.0.0-test",
    "AWS_DEFAULT_REGION": "us-east-1",
}.items():
    os.environ.setdefault(name, value)
