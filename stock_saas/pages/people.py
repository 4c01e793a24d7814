"""/users: the admin's people and invite codes."""

from __future__ import annotations

import reflex as rx

from stock_saas.components.dialogs import dialog_frame, labelled, native_select
from stock_saas.components.layout import app_shell, empty_state
from stock_saas.state.people import PREFERENCES, ROLES, InviteLine, PeopleState, PersonLine

__all__ = ["users_page"]


def _department_options(departments: rx.Var[list[dict[str, str]]], none: str) -> list[rx.Component]:
    return [
        rx.el.option(none, value=""),
        rx.foreach(departments, lambda d: rx.el.option(d["name"], value=d["id"])),
    ]


def _person(person: PersonLine) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.text(person.username, weight="medium"),
            rx.text(person.email, size="1", color_scheme="gray"),
        ),
        rx.table.cell(
            native_select(
                "",
                *[rx.el.option(r, value=r) for r in ROLES],
                value=person.role,
                on_change=lambda v: PeopleState.change_role(person.id, v),
                aria_label="Role",
            )
        ),
        rx.table.cell(
            native_select(
                "",
                *_department_options(PeopleState.departments, "—"),
                value=person.department_id,
                on_change=lambda v: PeopleState.change_department(person.id, v),
                aria_label="Department",
            ),
            display=["none", "table-cell"],
        ),
        rx.table.cell(
            native_select(
                "",
                *[rx.el.option(p, value=p) for p in PREFERENCES],
                value=person.notification_preference,
                on_change=lambda v: PeopleState.change_preference(person.id, v),
                aria_label="Notifications",
            ),
            display=["none", "table-cell"],
        ),
        rx.table.cell(
            rx.cond(
                person.is_active,
                rx.button(
                    "Deactivate",
                    size="1",
                    variant="soft",
                    color_scheme="red",
                    on_click=PeopleState.set_active(person.id, False),
                ),
                rx.button(
                    "Reactivate",
                    size="1",
                    variant="soft",
                    on_click=PeopleState.set_active(person.id, True),
                ),
            )
        ),
        opacity=rx.cond(person.is_active, "1", "0.55"),
        class_name="person-row",
    )


def _create_person_dialog() -> rx.Component:
    return dialog_frame(
        "person",
        "Add a person",
        rx.vstack(
            labelled("Username", rx.input(name="username", auto_focus=True, max_length=64)),
            labelled("First password (8+ characters)", rx.input(name="password", type="password")),
            labelled("E-mail (optional)", rx.input(name="email", type="email")),
            labelled("Role", native_select("role", *[rx.el.option(r, value=r) for r in ROLES])),
            labelled(
                "Department",
                native_select(
                    "department_id", *_department_options(PeopleState.departments, "None")
                ),
            ),
            spacing="3",
            width="100%",
        ),
        PeopleState.create_person,
        "Add",
        open_var=PeopleState.create_open,
        on_open_change=PeopleState.set_create_open,
        error=PeopleState.form_error,
    )


def _invite(invite: InviteLine) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.code(invite.hint)),
        rx.table.cell(invite.role),
        rx.table.cell(invite.department),
        rx.table.cell(invite.expires),
        rx.table.cell(rx.badge(invite.status, variant="soft")),
        rx.table.cell(
            rx.cond(
                invite.status == "open",
                rx.button(
                    "Revoke",
                    size="1",
                    variant="soft",
                    color_scheme="red",
                    on_click=PeopleState.revoke_invite(invite.id),
                ),
            )
        ),
    )


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
                native_select(
                    "role", *[rx.el.option(r, value=r) for r in ROLES], aria_label="Invite role"
                ),
                native_select(
                    "invite_department",
                    *_department_options(PeopleState.departments, "Any department"),
                    aria_label="Invite department",
                    width="auto",
                ),
                rx.button("Create invite", type="submit", id="create-invite", flex_shrink="0"),
                spacing="2",
                width="100%",
                wrap="wrap",
            ),
            on_submit=PeopleState.create_invite,
            reset_on_submit=False,
            width="100%",
        ),
        rx.cond(
            PeopleState.new_invite_code != "",
            rx.callout(
                rx.text(
                    "New code (shown once): ",
                    rx.code(PeopleState.new_invite_code, id="invite-code"),
                ),
                icon="key-round",
                color_scheme="green",
                width="100%",
            ),
        ),
        rx.cond(
            PeopleState.invites.length() > 0,
            rx.scroll_area(
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            *[
                                rx.table.column_header_cell(h)
                                for h in ("Code", "Role", "Department", "Expires", "Status", "")
                            ]
                        )
                    ),
                    rx.table.body(rx.foreach(PeopleState.invites, _invite)),
                    size="1",
                    width="100%",
                ),
                type="auto",
                scrollbars="horizontal",
            ),
        ),
        spacing="3",
        width="100%",
        padding_top="1.5em",
    )


def users_page() -> rx.Component:
    return app_shell(
        rx.cond(
            PeopleState.is_admin,
            rx.vstack(
                rx.hstack(
                    rx.heading("People", size="5"),
                    rx.spacer(),
                    rx.button(
                        rx.icon("user-plus", size=14),
                        "Add person",
                        on_click=PeopleState.set_create_open(True),
                    ),
                    width="100%",
                ),
                rx.cond(
                    PeopleState.loading,
                    rx.skeleton(height="8em", width="100%"),
                    rx.scroll_area(
                        rx.table.root(
                            rx.table.header(
                                rx.table.row(
                                    rx.table.column_header_cell("Person"),
                                    rx.table.column_header_cell("Role"),
                                    rx.table.column_header_cell(
                                        "Department", display=["none", "table-cell"]
                                    ),
                                    rx.table.column_header_cell(
                                        "Notifications", display=["none", "table-cell"]
                                    ),
                                    rx.table.column_header_cell(""),
                                )
                            ),
                            rx.table.body(rx.foreach(PeopleState.people, _person)),
                            size="1",
                            width="100%",
                            id="people",
                        ),
                        type="auto",
                        scrollbars="horizontal",
                    ),
                ),
                _invites(),
                _create_person_dialog(),
                width="100%",
                spacing="3",
            ),
            empty_state("lock", "Admins only", "Ask an admin of your organisation for access."),
        )
    )
