"""The convergence run shared by the embedded stack and PostgreSQL + Redis: two browser
contexts of one tenant, the REST API and the CLI change stock and departments at once in
a seeded random order for a while; once the writers stop, each context shows exactly what
a fresh load of its page shows (the sidebar's counts and low badges, the table with its
LOW badges, the pager, the header strip). The seed is printed and named in a failure;
``CONVERGENCE_SEED=N`` replays it."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, expect

from tests.e2e.flows import (
    PASSWORD,
    api_token,
    expect_same_as_fresh_load,
    register_organisation,
    sign_in,
    unique,
)

__all__ = ["converge"]

REPO = Path(__file__).resolve().parents[2]
WRITING_SECONDS = 20.0
UI_CHANGES = 3
ITEMS = {"Gauze": 10, "Saline": 8, "Syringes": 15, "Masks": 6, "Gloves": 10}  # thresholds
DEPARTMENTS = ["General", "Ward A", "Ward B"]


class Api:
    """The REST API as one tenant's manager sees it."""

    def __init__(self, url: str, token: str, tenant_id: int) -> None:
        self.client = httpx.Client(
            base_url=url,
            headers={"Authorization": f"Bearer {token}"},
            params={"tenant_id": tenant_id},
            timeout=30,
        )
        self.tenant_id = tenant_id

    def post(self, path: str, **body: Any) -> httpx.Response:
        return self.client.post(path, json={**body, "tenant_id": self.tenant_id})

    def departments(self) -> list[dict[str, Any]]:
        answer = self.client.get("/api/departments")
        answer.raise_for_status()
        return list(answer.json())


def _writer(target: Callable[..., None], *args: Any, failures: list[str]) -> threading.Thread:
    """A writer thread; what breaks it (not a refused change: a bug) fails the test."""

    def run() -> None:
        try:
            target(*args)
        except Exception as exc:
            failures.append(f"{target.__name__}: {exc!r}")

    return threading.Thread(target=run, name=target.__name__)


def _api_writer(api: Api, rng: random.Random, stop: threading.Event, done: list[str]) -> None:
    while not stop.is_set():
        name, qty = rng.choice(list(ITEMS)), rng.randint(1, 6)
        departments = api.departments()
        names = [d["name"] for d in departments]
        dept, other = rng.choice(names), rng.choice(names)
        op = rng.choice(["add", "issue", "return", "transfer", "adjust", "dept"])
        if op == "add":
            more = {"threshold": ITEMS[name], "department": dept}
            api.post("/api/items/add", name=name, quantity=qty, **more)
        elif op in ("issue", "return"):
            api.post(f"/api/items/{op}", name=name, quantity=qty, department=dept)
        elif op == "transfer":
            api.post(
                "/api/items/transfer",
                name=name,
                quantity=qty,
                from_department=dept,
                to_department=other,
            )
        elif op == "adjust":
            signed = rng.choice([-1, 1]) * qty
            change = {"delta": signed} if rng.random() < 0.5 else {"counted": qty}
            api.post("/api/items/adjust", name=name, department=dept, reason="correction", **change)
        else:
            _department_change(api, rng, departments)
        done.append(f"api {op}")
        stop.wait(rng.uniform(0.2, 0.8))  # a busy tenant, not a benchmark


def _department_change(api: Api, rng: random.Random, departments: list[dict[str, Any]]) -> None:
    mine = [d for d in departments if not d["is_default"] and d["name"] not in DEPARTMENTS]
    choice = rng.random()
    if not mine or choice < 0.4:
        api.post("/api/departments", name=unique("Room"))
    elif choice < 0.7:
        target = rng.choice(mine)
        api.client.patch(f"/api/departments/{target['id']}", json={"name": unique("Room")})
    else:
        api.client.delete(f"/api/departments/{rng.choice(mine)['id']}")


def _cli_writer(
    env: dict[str, str], tenant: str, rng: random.Random, stop: threading.Event, done: list[str]
) -> None:
    while not stop.is_set():
        name, qty, dept = rng.choice(list(ITEMS)), str(rng.randint(1, 6)), rng.choice(DEPARTMENTS)
        op = rng.choice(["add", "issue", "return", "transfer", "adjust"])
        args = {
            "add": ["add", name, qty, "--threshold", str(ITEMS[name]), "--department", dept],
            "issue": ["issue", name, qty, "--department", dept],
            "return": ["return", name, qty, "--department", dept],
            "transfer": ["transfer", name, qty, dept, rng.choice(DEPARTMENTS)],
            "adjust": ["adjust", name, "--counted", qty, "--reason", "counted"],
        }[op]
        subprocess.run(
            [sys.executable, "inventory.py", *args, "--tenant", tenant],
            cwd=REPO,
            env=env,
            capture_output=True,
            timeout=120,
            check=False,
        )  # refused changes (not enough stock) change nothing: that is part of the mix
        done.append(f"cli {op}")


# The UI writers use the keyboard: low-stock toasts pile up over the table's right side
# while everyone writes, and a click there would land on a toast.
def _press(page: Page, control: Locator) -> None:
    control.focus()
    page.keyboard.press("Enter")


def _ui_movement(page: Page, rng: random.Random) -> None:
    rows = page.locator(".stock-row")
    _press(page, rows.nth(rng.randrange(rows.count())).locator(".row-actions-button"))
    page.keyboard.type(rng.choice(["I", "R"]))  # the menu's type-ahead: Issue or Return
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog").locator("#quantity")).to_be_focused()
    page.keyboard.type(str(rng.randint(1, 4)))
    page.keyboard.press("Enter")


def _ui_department(page: Page, rng: random.Random) -> None:
    rooms = page.locator("#departments").get_by_role(
        "button", name=re.compile(r"^Actions for Room-")
    )
    if rng.random() < 0.5 or rooms.count() == 0:
        _press(page, page.locator("#add-department"))
    else:
        _press(page, rooms.nth(rng.randrange(rooms.count())))
        page.keyboard.type("R")
        page.keyboard.press("Enter")
    expect(page.locator("#department-name")).to_be_focused()
    page.keyboard.type(unique("Room"))
    page.keyboard.press("Enter")


def _ui_writer(pages: list[Page], rng: random.Random, done: list[str]) -> None:
    """The two browser contexts take turns (Playwright's sync API stays on this thread)
    for WRITING_SECONDS, and on until they made UI_CHANGES changes on a slow machine."""
    start, made = time.monotonic(), 0
    while time.monotonic() - start < WRITING_SECONDS or (
        made < UI_CHANGES and time.monotonic() - start < 3 * WRITING_SECONDS
    ):
        page = rng.choice(pages)
        step: Callable[[Page, random.Random], None] = (
            _ui_movement if rng.random() < 0.75 else _ui_department
        )
        try:
            step(page, rng)
            expect(page.get_by_role("dialog")).to_have_count(0)
            done.append(f"ui {step.__name__}")
            made += 1
        except (AssertionError, PlaywrightError) as exc:  # refused (too many) or a row moved
            print(f"ui {step.__name__} gave up: {str(exc).splitlines()[0]}")
            page.keyboard.press("Escape")
            page.keyboard.press("Escape")


def converge(pages: tuple[Page, Page], api_url: str, cli_env: dict[str, str]) -> None:
    """Run the seeded writers with the two (fresh) ``pages`` of one tenant, the API at
    ``api_url`` and the CLI on ``cli_env``'s database; then each page must equal a fresh
    load of itself."""
    seed = int(os.environ.get("CONVERGENCE_SEED") or random.SystemRandom().randrange(10**6))
    print(f"convergence seed: {seed} (replay with CONVERGENCE_SEED={seed})")
    first, second = pages
    organisation, admin = unique("Org"), unique("admin")
    register_organisation(first, organisation, admin)
    token, tenant_id = api_token(api_url, admin)
    api = Api(api_url, token, tenant_id)
    manager = unique("manager")
    assert api.post("/api/users", username=manager, password=PASSWORD, role="manager").is_success
    for number, (name, threshold) in enumerate(ITEMS.items()):
        for dept in DEPARTMENTS[: 1 + number % 3]:
            api.post("/api/items/add", name=name, quantity=12, threshold=threshold, department=dept)
    sign_in(first, admin)
    sign_in(second, manager)
    for page in pages:
        expect(page.locator(".stock-row")).to_have_count(9)

    stop, done, failures = threading.Event(), list[str](), list[str]()
    writers = [
        _writer(_api_writer, api, random.Random(f"{seed}/api"), stop, done, failures=failures),
        _writer(
            _cli_writer,
            *(cli_env, organisation, random.Random(f"{seed}/cli"), stop, done),
            failures=failures,
        ),
    ]
    for writer in writers:
        writer.start()
    try:
        _ui_writer(list(pages), random.Random(f"{seed}/ui"), done)
    finally:
        stop.set()
        for writer in writers:
            writer.join(timeout=150)

    assert failures == [], f"seed {seed}: a writer broke: {failures}"
    print("changes made:", Counter(entry.split()[0] for entry in done))
    kinds = {entry.split()[0] for entry in done}
    assert kinds == {"api", "cli", "ui"}, f"seed {seed}: some writer did nothing: {done}"
    for page in pages:
        try:
            expect_same_as_fresh_load(page)
        except AssertionError as failure:
            raise AssertionError(f"seed {seed} ({len(done)} changes): {failure}") from failure
