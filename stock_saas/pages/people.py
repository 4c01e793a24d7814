"""/users: the admin's people and invite codes."""

from __future__ import annotations

import reflex as rx

from stock_saas.components.data_table import Column, data_table
from stock_saas.components.fields import (
    field_error,
    labelled_field,
    labelled_select,
    native_select,
)
from stock_saas.components.guards import admin_only
from stock_saas.components.layout import empty_state
from stock_saas.components.modal import dialog_frame
from stock_saas.components.secrets import one_time_secret
from stock_saas.models import InviteStatus
from stock_saas.state.people import (
    INVITE_CODE_ID,
    PREFERENCES,
    ROLES,
    InviteLine,
    PeopleState,
    PersonLine,
)

__all__ = ["users_page"]


def _department_options(none: str) -> list[rx.Component]:
    return [
        rx.el.option(none, value=""),
        rx.foreach(PeopleState.departments, lambda d: rx.el.option(d["name"], value=d["id"])),
    ]


def _cell_select(person: PersonLine, what: str, *options: rx.Component, **props: object):  # type: ignore[no-untyped-def]
    """A select in a person's row, named for screen readers by person and column."""
    return native_select(
        "",
        *options,
        name="",
        aria_label=rx.Var.create(f"{what} of ") + person.username,
        width="auto",
        **props,
    )


def _person_name(person: PersonLine) -> rx.Component:
    return rx.fragment(
        rx.text(person.username, weight="medium"),
        rx.text(person.email, size="1", color_scheme="gray"),
        rx.cond(~person.is_active, rx.badge("deactivated", color_scheme="gray", variant="outline")),
    )


def _active_button(person: PersonLine) -> rx.Component:
    return rx.cond(
        person.is_active,
        rx.button(
            "Deactivate",
            size="1",
            variant="soft",
            color_scheme="red",
            on_click=PeopleState.set_active(person.id, False),
        ),
        rx.button(
            "Reactivate", size="1", variant="soft", on_click=PeopleState.set_active(person.id, True)
        ),
    )


PEOPLE_COLUMNS = [
    Column("Person", _person_name, row_header=True),
    Column(
        "Role",
        lambda p: _cell_select(
            p,
            "Role",
            *[rx.el.option(r, value=r) for r in ROLES],
            value=p.role,
            on_change=lambda v: PeopleState.change_role(p.id, v),
        ),
    ),
    Column(
        "Department",
        lambda p: _cell_select(
            p,
            "Department",
            *_department_options("—"),
            value=p.department_id,
            on_change=lambda v: PeopleState.change_department(p.id, v),
        ),
        wide_only=True,
    ),
    Column(
        "Notifications",
        lambda p: _cell_select(
            p,
            "Notifications",
            *[rx.el.option(x, value=x) for x in PREFERENCES],
            value=p.notification_preference,
            on_change=lambda v: PeopleState.change_preference(p.id, v),
        ),
        wide_only=True,
    ),
]


def _create_person_dialog() -> rx.Component:
    return dialog_frame(
        "Add a person",
        rx.vstack(
            labelled_field(
                "Username",
                "new-username",
                name="username",
                auto_focus=True,
                max_length=64,
                auto_complete="off",
                error=field_error(PeopleState, "new-username"),
            ),
            labelled_field(
                "First password",
                "new-password",
                name="password",
                type="password",
                auto_complete="new-password",
                hint="8 characters or more; they can change it later.",
                error=field_error(PeopleState, "new-password"),
            ),
            labelled_field("E-mail", "new-email", name="email", type="email", optional=True),
            labelled_select(
                "Role",
                "new-role",
                *[rx.el.option(r, value=r) for r in ROLES],
                name="role",
                error=field_error(PeopleState, "new-role"),
            ),
            labelled_select(
                "Department", "new-department", *_department_options("None"), name="department_id"
            ),
            spacing="3",
            width="100%",
        ),
        PeopleState.create_person,
        "Add",
        open_var=PeopleState.create_open,
        on_open_change=PeopleState.set_create_open,
        form_state=PeopleState,
        dialog_id="person-dialog",
    )


def _revoke(invite: InviteLine) -> rx.Component:
    return rx.cond(
        invite.status == InviteStatus.OPEN.value,
        rx.button(
            "Revoke",
            size="1",
            variant="soft",
            color_scheme="red",
            on_click=PeopleState.revoke_invite(invite.id),
            aria_label=rx.Var.create("Revoke invite ") + invite.hint,
        ),
    )


INVITE_COLUMNS = [
    Column("Code", lambda i: rx.code(i.hint), row_header=True),
    Column("Role", lambda i: i.role),
    Column("Department", lambda i: i.department),
    Column("Expires", lambda i: i.expires),
    Column("Status", lambda i: rx.badge(i.status, variant="soft")),
]


def _invites() -> rx.Component:
    return rx.vstack(
        rx.heading("Invite codes", size="4"),
        rx.text(
            "A code lets one person sign up into your organisation with the role you choose.",
            size="2",
            color_scheme="gray",
        ),
        rx.form(
            rx.flex(
                rx.box(
                    labelled_select(
                        "Role", "invite_role", *[rx.el.option(r, value=r) for r in ROLES]
                    )
                ),
                rx.box(
                    labelled_select(
                        "Department", "invite_department", *_department_options("Any department")
                    )
                ),
                rx.button("Create invite", type="submit", id="create-invite", flex_shrink="0"),
                spacing="3",
                width="100%",
                wrap="wrap",
                align="end",
            ),
            on_submit=PeopleState.create_invite,
            reset_on_submit=False,
            width="100%",
        ),
        one_time_secret(
            INVITE_CODE_ID,
            "New invite code",
            shown=PeopleState.invite_shown,
            on_hide=PeopleState.hide_invite,
            hint="Shown once: copy it and give it to the person joining. Only its first "
            "characters are kept.",
        ),
        data_table(
            PeopleState.invites,
            INVITE_COLUMNS,
            table_id="invites",
            label="Invite codes",
            empty=rx.text("No invites yet.", size="2", color_scheme="gray"),
            row_actions=_revoke,
            focusable_rows=False,
        ),
        spacing="3",
        width="100%",
        padding_top="1.5em",
    )


@admin_only
def users_page() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading("People", size="5"),
            rx.spacer(),
            rx.button(
                rx.icon("user-plus", size=14, aria_hidden="true"),
                "Add person",
                on_click=PeopleState.set_create_open(True),
                id="add-person",
            ),
            width="100%",
        ),
        data_table(
            PeopleState.people,
            PEOPLE_COLUMNS,
            table_id="people",
            label="People",
            loading=PeopleState.loading,
            empty=empty_state("users", "Nobody yet", "Add a person or create an invite code."),
            row_actions=_active_button,
            row_props=lambda p: {"class_name": "person-row"},
            focusable_rows=False,
        ),
        _invites(),
        _create_person_dialog(),
        width="100%",
        spacing="3",
    )
