"""Which declared route a request takes, as API Gateway decides it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from werkzeug.exceptions import NotFound
from werkzeug.routing import Map, Rule

from devstack.gateway.model import ServedRoute

_PARAMETER = re.compile(r"\{([^}]+)\}")


@dataclass(frozen=True)
class _Compiled:
    rule_path: str
    names: dict[str, str]  # werkzeug variable -> API Gateway parameter name


def _compile_path(path: str) -> _Compiled:
    """``/bookings/{id}`` → ``/bookings/<p0>``; ``{proxy+}`` is greedy (``<path:p1>``)."""
    names: dict[str, str] = {}

    def replace(match: re.Match[str]) -> str:
        variable = f"p{len(names)}"
        parameter = match.group(1)
        if parameter.endswith("+"):
            names[variable] = parameter[:-1]
            return f"<path:{variable}>"
        names[variable] = parameter
        return f"<{variable}>"

    return _Compiled(_PARAMETER.sub(replace, path), names)


class RouteTable:
    """Picks the route as API Gateway does: the exact method before ``ANY``, the
    most specific path first (werkzeug orders static parts before variables), and
    ``$default`` when nothing else matches."""

    def __init__(self, routes: Iterable[ServedRoute]) -> None:
        by_method: dict[str, list[Rule]] = {}
        self._names: dict[str, dict[str, str]] = {}
        self._default: ServedRoute | None = None
        self._routes: dict[str, ServedRoute] = {}
        for route in routes:
            self._routes[route.route_key] = route
            if route.route_key == "$default":
                self._default = route
                continue
            compiled = _compile_path(route.path)
            self._names[route.route_key] = compiled.names
            by_method.setdefault(route.method, []).append(
                Rule(compiled.rule_path, endpoint=route.route_key, strict_slashes=False, merge_slashes=False)
            )
        self._maps = {method: Map(rules, strict_slashes=False) for method, rules in by_method.items()}

    def match(self, method: str, path: str) -> tuple[ServedRoute, dict[str, str]] | None:
        for key in (method, "ANY"):
            routing = self._maps.get(key)
            if routing is None:
                continue
            try:
                route_key, variables = routing.bind("localhost").match(path, method=None)
            except NotFound:
                continue
            names = self._names[str(route_key)]
            return self._routes[str(route_key)], {
                names[name]: str(value) for name, value in variables.items()
            }
        if self._default is not None:
            return self._default, {}
        return None
