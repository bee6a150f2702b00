"""Pulumi's mock engine, run outside pytest: the offline counterpart of ``pulumi up``.

The Pulumi program (``stacks/``) only declares resources; this package runs it and
records what it declared, for every tool that must see the program without a cloud:

- :mod:`engine.stack_file` reads ``Pulumi.<stack>.yaml`` the way the Pulumi CLI hands
  configuration to a program;
- :mod:`engine.run` runs a program under the mock engine (``run_program``) and asks a
  ``ResourceBackend`` for the id and outputs of each resource;
- :mod:`engine.preview_backend` is the default backend (plausible, deterministic ids
  and ARNs); the devstack brings one that creates resources in an emulator;
- :mod:`engine.inventory` is what a run registered, read by the offline policy pack,
  the devstack and ``bookingctl preview``.

Nothing is imported here: ``engine.inventory`` stays cheap to import, while
``engine.run`` loads Pulumi.
"""
