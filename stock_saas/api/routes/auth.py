"""Signing in and signing up (public): tokens, registration, an invite's departments."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Response, status

from stock_saas.api.deps import ClientIp, CurrentContext
from stock_saas.api.errors import error_responses
from stock_saas.api.schemas import InviteCheck, Password, RegisterRequest, Token, Username
from stock_saas.services import people
from stock_saas.services.catalog import DepartmentView
from stock_saas.services.people import UserView

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["auth"])


@router.post("/token", responses=error_responses(401, 403, 413, 422, 429, 503))
def sign_in(
    username: Annotated[Username, Form()],
    password: Annotated[Password, Form()],
    client_ip: ClientIp,
    otp: Annotated[
        str | None,
        Form(
            max_length=40,
            description="With two-factor sign-in on: the app's 6-digit code or a recovery code",
        ),
    ] = None,
) -> Token:
    """OAuth2 password flow: a Bearer token for valid credentials.

    Unknown user and wrong password get the same 401. 429 with Retry-After after 100
    failures from your address in an hour, after 10 for one username from your address,
    or, once a username has 10 failures from anywhere, for a growing delay (up to a minute)
    at addresses that failed for it; an address with no failures for the username is
    never held up by others' failures. With two-factor sign-in on, a missing ``otp`` is a
    401 saying so, and a missing, wrong or reused code counts as a failure. An admin or
    manager without a second factor, in an organisation that requires one, gets 403 (the
    right password; no token): they set it up by signing in on the web page first.
    """
    signed = people.sign_in(username=username, password=password, otp=otp, client_ip=client_ip)
    return Token(access_token=signed.token, token_type="bearer")  # noqa: S106


@router.post(
    "/auth/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(401, 503),
)
def sign_out(ctx: CurrentContext) -> Response:
    """Sign out everywhere: this token and every other token issued to you so far stop
    working at once (every tab and device; API keys are not affected)."""
    people.sign_out(ctx=ctx)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/auth/register",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(404, 409, 413, 422, 429, 503),
)
def register(body: RegisterRequest, client_ip: ClientIp) -> UserView:
    """Sign up. Without an invite: a new organisation, you its admin. With one: you join
    its tenant with the invite's role, in a department it offers. Then sign in.

    At most 20 sign-up attempts per client address an hour (a successful join with an
    invite does not count), then 429."""
    return people.register(
        username=body.username,
        password=body.password,
        email=body.email,
        organisation=body.organisation,
        invite_code=body.invite_code,
        department_id=body.department_id,
        client_ip=client_ip,
    )


@router.post("/auth/invite-departments", responses=error_responses(404, 413, 422, 503))
def invite_departments(body: InviteCheck) -> list[DepartmentView]:
    """The departments a valid invite lets you choose from when signing up. The code goes
    in the JSON body (never the URL, where proxies and access logs would keep it)."""
    return people.invite_departments(invite_code=body.invite_code)
