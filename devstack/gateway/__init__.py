"""The devstack's API Gateway: serves the HTTP API a program declared (see ``serving``)."""
