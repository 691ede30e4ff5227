"""The app's whole route table, flattened, for contract tests that must cover every route.

FastAPI keeps included routers as nested objects; this walks them so a test
sees each path with its methods, the way a client would call it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from starlette.routing import Route

PARAM = re.compile(r"{(\w+)(?::\w+)?}")


@dataclass(frozen=True)
class RouteInfo:
    path: str
    methods: frozenset[str]
    in_schema: bool

    @property
    def params(self) -> list[str]:
        return PARAM.findall(self.path)

    def filled(self, **values: str) -> str:
        """The path with each ``{param}`` replaced by ``values[param]`` (default ``"1"``)."""
        return PARAM.sub(lambda m: values.get(m.group(1), "1"), self.path)


def app_routes(app: Any) -> list[RouteInfo]:
    """Every HTTP route of ``app`` (mounts such as /static are left out), sorted by path."""
    found: list[RouteInfo] = []
    for route in app.routes:
        if hasattr(route, "effective_route_contexts"):
            for context in route.effective_route_contexts():
                original = context.original_route
                methods = getattr(original, "methods", None)
                if methods:
                    found.append(
                        RouteInfo(context.path, frozenset(methods), bool(context.include_in_schema))
                    )
        elif isinstance(route, Route) and route.methods:
            found.append(
                RouteInfo(
                    route.path, frozenset(route.methods), getattr(route, "include_in_schema", True)
                )
            )
    return sorted(set(found), key=lambda r: (r.path, sorted(r.methods)))
