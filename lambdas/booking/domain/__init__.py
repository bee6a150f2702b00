"""Pure booking logic: no boto3, no HTTP, no environment variables.

Services receive their ports (repositories, clock, id generator) as parameters.
"""
