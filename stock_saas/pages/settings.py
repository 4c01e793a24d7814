"""/settings: the signed-in person's notification preference, e-mail and own alerts."""

from __future__ import annotations

import reflex as rx

from stock_saas.components.fields import labelled_checkbox, labelled_field, labelled_select
from stock_saas.components.layout import app_shell
from stock_saas.components.two_factor_panel import two_factor_panel
from stock_saas.components.two_factor_policy import two_factor_policy_form
from stock_saas.state.digest import TIME_ZONES, DigestState
from stock_saas.state.settings import NoticeLine, SettingsState
from stock_saas.state.two_factor_policy import TwoFactorPolicyState

__all__ = ["settings_page"]


def _notice(notice: NoticeLine) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(notice.created_at, size="1", color_scheme="gray"),
                rx.badge(notice.channel, variant="soft"),
                rx.badge(notice.status, variant="outline"),
                spacing="2",
            ),
            rx.text(notice.message, size="2"),
            spacing="1",
        ),
        width="100%",
    )


def _digest() -> rx.Component:
    """Managers and admins: the weekly reorder digest; admins: the organisation's zone."""
    return rx.form(
        rx.vstack(
            rx.heading("Weekly reorder digest", size="4"),
            labelled_checkbox(
                "Send me the reorder list's top 20 every Monday at 07:00",
                "digest-enabled",
                default_checked=DigestState.enabled,
                key=DigestState.enabled.to_string(),
            ),
            rx.text(
                rx.cond(
                    DigestState.eligible,
                    rx.text("Next one: ", DigestState.next_at, as_="span"),
                    DigestState.reason,
                ),
                size="1",
                class_name="field-hint",
                id="digest-hint",
            ),
            rx.cond(
                DigestState.is_admin,
                labelled_select(
                    "Organisation's time zone",
                    "digest-time-zone",
                    *[rx.el.option(zone, value=zone) for zone in TIME_ZONES],
                    default_value=DigestState.time_zone,
                    key=DigestState.time_zone,
                    hint="The digest goes out on Monday at 07:00 in this zone.",
                ),
            ),
            rx.button("Save digest", type="submit", id="save-digest"),
            spacing="3",
            width="100%",
        ),
        on_submit=DigestState.save,
        reset_on_submit=False,
        width="100%",
    )


def settings_page() -> rx.Component:
    return app_shell(
        rx.vstack(
            rx.heading("My settings", size="5"),
            rx.cond(
                ~SettingsState.loading,
                rx.form(
                    rx.vstack(
                        labelled_field(
                            "E-mail",
                            "settings-email",
                            name="email",
                            type="email",
                            default_value=SettingsState.email,
                            auto_complete="email",
                        ),
                        labelled_select(
                            "Tell me about low stock by",
                            "settings-preference",
                            rx.el.option("E-mail", value="email"),
                            rx.el.option("Slack", value="slack"),
                            rx.el.option("Only in the app", value="none"),
                            name="preference",
                            default_value=SettingsState.preference,
                            hint="Managers and admins also see low-stock toasts in open "
                            "dashboards.",
                        ),
                        rx.button("Save", type="submit", id="save-settings"),
                        spacing="3",
                        width="100%",
                    ),
                    on_submit=SettingsState.save,
                    reset_on_submit=False,
                    width="100%",
                ),
                rx.skeleton(height="8em", width="100%"),
            ),
            rx.cond(DigestState.ready & DigestState.is_manager, _digest()),
            two_factor_panel(),
            rx.cond(
                TwoFactorPolicyState.ready & TwoFactorPolicyState.is_admin,
                two_factor_policy_form(),
            ),
            rx.heading("My low-stock alerts", size="4", padding_top="1em"),
            rx.cond(
                SettingsState.notices.length() == 0,
                rx.text(
                    "None yet. When stock you look after drops below its threshold, "
                    "the alerts sent to you are listed here.",
                    size="2",
                    color_scheme="gray",
                ),
                rx.vstack(rx.foreach(SettingsState.notices, _notice), width="100%"),
            ),
            spacing="4",
            max_width="30em",
            width="100%",
        )
    )
