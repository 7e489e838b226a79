"""Optional access control for the demo backend, so the console's auth runs for real.

Off by default (the demo is open and everyone is an operator). With an `Access`
policy, /api, /ngsi-ld and /open311 need `Authorization: Bearer <token>`; tokens
come from the policy or from the OAuth2 client-credentials endpoint `/oauth/token`.
Demo controls stay open so tests can drive the simulation.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.responses import Response

ROLES = ("viewer", "operator", "leader")
PROTECTED = ("/api/", "/ngsi-ld/", "/open311/")
OPEN = ("/api/v1/demo/",)


@dataclass
class Access:
    tokens: dict[str, str] = field(default_factory=dict)  # token -> role
    clients: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (secret, role)
    issued: int = 0

    def role_of(self, authorization: str | None) -> str | None:
        if not authorization or not authorization.startswith("Bearer "):
            return None
        return self.tokens.get(authorization.removeprefix("Bearer ").strip())

    def expire_issued(self) -> None:
        """Forget the tokens handed out by /oauth/token (tests: expiry -> 401 -> re-auth)."""
        issued = {token for token, role in self.tokens.items() if token.startswith("oauth-")}
        for token in issued:
            del self.tokens[token]


class _Guard(BaseHTTPMiddleware):
    def __init__(self, app: Any, access: Access) -> None:
        super().__init__(app)
        self.access = access

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        path = request.url.path
        if path.startswith(PROTECTED) and not path.startswith(OPEN):
            role = self.access.role_of(request.headers.get("authorization"))
            if role is None:
                return JSONResponse(
                    {"detail": "a valid bearer token is required"},
                    status_code=401,
                    headers={"WWW-Authenticate": "Bearer"},
                )
            request.state.role = role
            if request.method == "POST" and path.endswith("/actions") and role == "viewer":
                return JSONResponse(
                    {"detail": "a viewer may not act on incidents"}, status_code=403
                )
        return await call_next(request)


def access_router(access: Access | None) -> APIRouter:
    router = APIRouter()

    @router.get("/api/v1/me", tags=["access"], summary="Who the caller is and what they may do")
    async def me(request: Request) -> dict[str, str]:
        return {"role": getattr(request.state, "role", "operator")}

    @router.post("/oauth/token", tags=["access"], summary="OAuth2 client-credentials token")
    async def token(request: Request) -> dict[str, Any]:
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
        known = access.clients.get(form.get("client_id", "")) if access else None
        if (
            form.get("grant_type") != "client_credentials"
            or known is None
            or known[0] != form.get("client_secret")
        ):
            raise HTTPException(401, "unknown client or wrong secret")
        issued = f"oauth-{secrets.token_urlsafe(16)}"
        access.tokens[issued] = known[1]  # type: ignore[union-attr]
        access.issued += 1  # type: ignore[union-attr]
        return {"access_token": issued, "token_type": "Bearer", "expires_in": 3600}

    @router.post("/api/v1/demo/expire-tokens", tags=["demo"], summary="Expire OAuth tokens")
    async def expire() -> dict[str, int]:
        if access is not None:
            access.expire_issued()
        return {"issued": access.issued if access else 0}

    return router


def install(app: FastAPI, access: Access | None) -> None:
    app.include_router(access_router(access))
    if access is not None:
        app.add_middleware(_Guard, access=access)
