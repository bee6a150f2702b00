"""Timed workloads. Never part of the test pass: run with ``make bench`` or one at a time
with ``python -m benchmarks.<name>``; results and commands are in benchmarks/README.md."""
