"""One builder per area of the platform, called in order by :func:`stacks.program.program`.

Each module owns one area and exposes one ``build_<area>(context, …)`` function that
declares that area's components from the validated stack config and returns what the
later areas (or the program's exports) read. An area receives the areas it depends on
as arguments, so the order of the calls in the program is the order of dependencies:

1. :mod:`~stacks.areas.data` — the bookings table;
2. :mod:`~stacks.areas.identity` — the Cognito user pool, its groups and SPA client;
3. :mod:`~stacks.areas.email` — SES sending and the reminder scheduler; then the origin
   secret (:func:`~stacks.areas.edge.build_origin_secret`), which the API's functions check;
4. :mod:`~stacks.areas.functions` — the dependency layer, then the API's (synchronous)
   functions, with the settings and resource ARNs each function's settings model asks for;
5. :mod:`~stacks.areas.api` — the HTTP API in front of the synchronous functions;
6. :mod:`~stacks.areas.edge` — the WAF and the CloudFront distribution with the app;
   then the identity area's client learns the site's URL (its callback URLs), and
   :mod:`~stacks.areas.functions` builds the event functions, whose emails link to it;
7. :mod:`~stacks.areas.observability` — dashboard, alarms and the alarm topic.

The program keeps what spans every area: the providers (:class:`StackContext`), the
Lambda artifacts and the stack's exports. Builders stay wiring: the shape of each
resource lives in ``components/``.
"""
