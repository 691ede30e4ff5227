"""API routes of the shell: health, the signed-in principal, nations."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlalchemy import select, text

from bedeco.security.logic import NATION_NAMES
from bedeco.security.model import NationRecord
from bedeco.web.deps import CurrentPrincipal, DbSession, Paging

router = APIRouter(tags=["platform"])


class ErrorDetail(BaseModel):
    code: str
    message: str
    field: str | None = None


class ErrorBody(BaseModel):
    """The shape of every error the API answers."""

    error: ErrorDetail


class PrincipalRead(BaseModel):
    name: str
    nation: str | None
    clearance: str
    roles: list[str]
    anonymous: bool


class NationRead(BaseModel):
    code: str
    names: dict[str, str]


class NationList(BaseModel):
    items: list[NationRead]
    total: int
    page: int
    page_size: int


@router.get("/health", summary="Liveness and database check")
def api_health(session: DbSession) -> dict[str, str]:
    session.execute(text("SELECT 1"))
    return {"status": "ok", "database": "ok"}


@router.get("/me", response_model=PrincipalRead, summary="Who the request acts as")
def me(principal: CurrentPrincipal) -> PrincipalRead:
    return PrincipalRead(
        name=principal.name,
        nation=principal.nation.value if principal.nation else None,
        clearance=principal.clearance.value,
        roles=sorted(r.value for r in principal.roles),
        anonymous=principal.is_anonymous,
    )


@router.get("/nations", response_model=NationList, summary="The nations of the cooperation")
def nations(session: DbSession, paging: Annotated[Paging, Depends()]) -> dict[str, Any]:
    stored = {n.code: n.names for n in session.scalars(select(NationRecord))}
    items = [
        {"code": code.value, "names": stored.get(code.value, names)}
        for code, names in sorted(NATION_NAMES.items())
    ]
    page = items[paging.offset : paging.offset + paging.page_size]
    return {"items": page, "total": len(items), "page": paging.page, "page_size": paging.page_size}
