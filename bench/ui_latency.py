"""The dashboard at 100,000 stock levels, as a person sees it in Chromium: p50/p95 per action.

    .venv/bin/python -m bench.ui_latency [--db sqlite|postgresql] [--levels 100000]
                                         [--departments 20] [--repeat 10] [--redis-url URL]
                                         [--trace]

Seeds one organisation (its admin signs in) with ``--levels`` items, each stocked in one
of ``--departments`` departments, into a database of its own (a SQLite file in a temporary
folder, or the PostgreSQL database stock_saas_bench_ui_latency, re-created), with bulk
INSERTs. Starts the app (``reflex run --env prod``, as the browser tests do) on that
database and drives Debian's Chromium through Playwright. Each repetition, in a fresh
browser context:

* ``sign-in``: from the click on "Sign in" (in the page, as for every click) until the
  first page's rows are shown;
* ``search``: from the moment the search box's (debounced) event leaves for the server
  until the matching rows are shown (the 300 ms debounce itself is the input's, not ours);
* ``next page``: from the click on "Next page" until the second page is shown;
* ``department``: from the click on a department in the sidebar until its rows are shown;
* ``barcode``: a barcode typed into the search (in that department), as ``search``.

"Shown" means the table's first row names the item that raw SQL says comes first, and the
pager counts the total raw SQL counts. Between actions the bench waits until the websocket
has been quiet for half a second (the dashboard's figures strip loads after the rows).
It prints p50/p95 per action and, as the ratio, the same data read by hand-written SQL
(the count and the page) over the app's own engine, measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench import _ui_trace
from bench._seed import seed_levels
from scripts.run_all import app_environment
from tests.support.processes import Process, start_web_app

REPO = Path(__file__).resolve().parent.parent
DATABASE = "stock_saas_bench_ui_latency"
PASSWORD = "bench-password-1"
PORTS = range(8300, 8400)
PAGE = 25  # the dashboard's page size
WORDS = ["Gloves", "Gauze", "Masks", "Syringe", "Bandage", "Catheter", "Scalpel", "Swab"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# When the search event left (the debounce is over), and when the websocket last spoke.
SPY = """
(() => {
  window.__searchSent = 0; window.__lastFrame = Date.now();
  const Native = window.WebSocket;
  function Spy(...args) {
    const ws = new Native(...args);
    const send = ws.send.bind(ws);
    ws.send = (data) => {
      if (String(data).includes('.search"')) window.__searchSent = Date.now();
      window.__lastFrame = Date.now();
      return send(data);
    };
    ws.addEventListener("message", () => { window.__lastFrame = Date.now(); });
    return ws;
  }
  Spy.prototype = Native.prototype;
  Object.assign(Spy, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  window.WebSocket = Spy;
})();
"""
# Date.now() at the first animation frame where the table shows what raw SQL expects.
SHOWN = """
([first, range]) => {
  const row = document.querySelector('#stock-table tbody tr');
  const pager = document.querySelector('#stock-table-range');
  if (!row || !pager || !row.innerText.includes(first) || !pager.innerText.startsWith(range))
    return false;
  return Date.now();
}
"""


def _prepare(db_kind: str, work: Path, redis_url: str | None) -> dict[str, str]:
    env = {
        "SECRET_KEY": secrets.token_urlsafe(32),
        "ADMIN_PASSWORD": "bench-admin-password",
        "SIGNUP_MAX_PER_ADDRESS": "100000",
    }
    if db_kind == "postgresql":
        from bench._pg import fresh_database

        env["DATABASE_URL"] = fresh_database(DATABASE)
    else:
        env["DATABASE_URL"] = f"sqlite:///{work / 'bench.db'}"
    if redis_url:
        env["REDIS_URL"] = redis_url
    os.environ.update(env)
    for name in ("CELERY_BROKER_URL", "SECRET_STORE_FILE"):
        os.environ.pop(name, None)
    if redis_url is None:
        os.environ.pop("REDIS_URL", None)
    from stock_saas import db
    from stock_saas.config import get_settings
    from stock_saas.migrations import upgrade_to_head

    get_settings.cache_clear()
    db.dispose_engines()
    if db_kind == "sqlite":
        upgrade_to_head(env["DATABASE_URL"])
    return env


def seed(levels: int, departments: int) -> tuple[str, int]:
    """An organisation with ``levels`` items, one level each over ``departments``
    departments (bulk INSERTs, then the tables' statistics); its admin's name and id."""
    from stock_saas.bootstrap import bootstrap
    from stock_saas.services import people

    bootstrap()
    username = f"bench-{uuid.uuid4().hex[:6]}"
    admin = people.register(username=username, password=PASSWORD, organisation="Bench")
    t = admin.tenant_id
    seed_levels(t, levels, departments, words=WORDS, barcode_prefix="B", seed=7)
    _after_bulk_load()
    return username, t


def _after_bulk_load() -> None:
    """The planner's statistics, as after any bulk load, and on PostgreSQL the vacuum that
    a load of 100,000 rows would otherwise start on its own during the first rounds
    (autovacuum's insert threshold), competing with the app for the two cores."""
    from stock_saas import db

    if db.get_engine().dialect.name == "postgresql":
        with db.autocommit_connection() as connection:
            connection.execute(text("VACUUM ANALYZE"))
        return
    with db.write_session() as session:
        session.execute(text("ANALYZE"))


def _start_app(port: int, env: dict[str, str], work: Path) -> Process:
    """The app on ``port`` with ``env`` on top of this process's, built in ``work``."""
    return start_web_app(port, app_environment(env, work=work), work / "app.log")


# ---- what the page should show, and the raw-SQL floor for it ----------------------------

# The queries the app sends, written by hand (the search as the app spells it: the items
# matched through their name-prefix and barcode indexes, then the few matches sorted).
_PAGE = """SELECT i.name FROM stock_levels s JOIN items i ON i.id = s.item_id AND i.tenant_id = :t
 WHERE s.tenant_id = :t {where} ORDER BY i.name{unindexed}, s.id LIMIT :size OFFSET :offset"""
_COUNT = "SELECT count(*) FROM stock_levels s WHERE s.tenant_id = :t {where}"
_SEARCH = """ AND s.item_id IN (
 SELECT id FROM items WHERE tenant_id = :t AND lower(name) LIKE lower(:prefix) {range}
 UNION SELECT id FROM items WHERE tenant_id = :t AND barcode = :q)"""
_SQLITE_RANGE = "AND lower(name) >= lower(:q) AND lower(name) < lower(:q) || char(1114111)"
_DEPARTMENT = " AND s.department_id = :d"


def expected(t: int, where: str, offset: int = 0, **params: Any) -> tuple[str, str, float]:
    """The first row's name and the pager's start (``1-25 of N``) a page should show, and
    how long raw SQL takes to read that page and its count (ms)."""
    from stock_saas import db

    binding = {"t": t, "offset": offset, "size": PAGE, **params}
    sqlite = db.get_engine().dialect.name == "sqlite"
    where = where.format(range=_SQLITE_RANGE if sqlite else "")
    unindexed = " || ''" if "prefix" in params else ""
    with db.read_session() as session:
        started = time.perf_counter()
        total = session.execute(text(_COUNT.format(where=where)), binding).scalar_one()
        page = _PAGE.format(where=where, unindexed=unindexed)
        names = session.execute(text(page), binding).scalars().all()
        took = (time.perf_counter() - started) * 1000
    return names[0], f"{offset + 1}-{min(total, offset + PAGE)} of {total}", took


# ---- the browser ----------------------------------------------------------------------


def _shown_at(page: Any, first: str, range_text: str) -> float:
    from playwright.sync_api import TimeoutError as Timeout

    try:
        return float(
            page.wait_for_function(
                SHOWN, arg=[first, range_text], polling="raf", timeout=60_000
            ).json_value()
        )
    except Timeout:
        seen = page.evaluate(
            "[document.querySelector('#stock-table tbody tr')?.innerText,"
            " document.querySelector('#stock-table-range')?.innerText]"
        )
        raise RuntimeError(f"{page.url}: wanted {first!r} and {range_text!r}, saw {seen}") from None


def _quiet(page: Any, ms: int = 500) -> None:
    page.wait_for_function(f"Date.now() - window.__lastFrame > {ms}", timeout=60_000)


def _clicked_at(page: Any, selector: str) -> float:
    """Click, and when (the page's clock) the click happened."""
    page.evaluate(
        "(sel) => document.querySelector(sel).addEventListener('click', "
        "() => { window.__clicked = Date.now(); }, { once: true, capture: true })",
        selector,
    )
    page.click(selector)
    return float(page.evaluate("window.__clicked"))


def one_round(
    browser: Any,
    url: str,
    username: str,
    t: int,
    dept: tuple[int, str],
    rng: random.Random,
    times: dict[str, list[float]],
    raw: dict[str, list[float]],
    trace: bool = False,
) -> None:
    context = browser.new_context(base_url=url, viewport={"width": 1280, "height": 860})
    context.add_init_script(SPY)
    if trace:
        context.add_init_script(_ui_trace.RECORDER)
    page = context.new_page()
    try:
        page.goto("/login")
        page.wait_for_function("() => !document.querySelector('#login').disabled")
        page.fill("#username", username)
        page.fill("#password", PASSWORD)
        first, range_text, took = expected(t, "")
        raw["sign-in"].append(took)
        if trace:
            _ui_trace.start(page)
        # From the click itself, as for next page and department (page.click's own
        # actionability wait before it, ~40 ms, is Playwright's, not the person's).
        started = _clicked_at(page, "#login")
        shown = _shown_at(page, first, range_text)
        times["sign-in"].append(shown - started)
        if trace:
            print(f"sign-in {shown - started:.1f} ms:", flush=True)
            print("\n".join(_ui_trace.timeline(page, started, shown)), flush=True)
        _quiet(page)

        term = f"{rng.choice(WORDS)} 0{rng.randint(0, 9)}"
        params: dict[str, Any] = {"prefix": term + "%", "q": term}
        first, range_text, took = expected(t, _SEARCH, **params)
        raw["search"].append(took)
        page.fill("#search", term)
        shown = _shown_at(page, first, range_text)
        times["search"].append(shown - float(page.evaluate("window.__searchSent")))
        _quiet(page)

        first, range_text, took = expected(t, _SEARCH, offset=PAGE, **params)
        raw["next page"].append(took)
        clicked = _clicked_at(page, "#stock-table-next")
        times["next page"].append(_shown_at(page, first, range_text) - clicked)
        _quiet(page)

        page.fill("#search", "")
        _shown_at(page, *expected(t, "")[:2])
        _quiet(page)
        first, range_text, took = expected(t, _DEPARTMENT, d=dept[0])
        raw["department"].append(took)
        entry = f"#departments .department-entry:has-text('{dept[1]}')"
        page.evaluate(
            "(name) => [...document.querySelectorAll('#departments .department-entry')]"
            ".find(b => b.innerText.startsWith(name)).addEventListener('click', "
            "() => { window.__clicked = Date.now(); }, { once: true, capture: true })",
            dept[1],
        )
        page.click(entry)
        clicked = float(page.evaluate("window.__clicked"))
        times["department"].append(_shown_at(page, first, range_text) - clicked)
        _quiet(page)

        code = _a_barcode(t, dept[0], rng)
        first, range_text, took = expected(
            t, _SEARCH + _DEPARTMENT, d=dept[0], prefix=code + "%", q=code
        )
        raw["barcode"].append(took)
        page.fill("#search", code)
        shown = _shown_at(page, first, range_text)
        times["barcode"].append(shown - float(page.evaluate("window.__searchSent")))
    finally:
        context.close()


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def report(times: dict[str, list[float]], raw: dict[str, list[float]], label: str) -> None:
    print(f"\nui_latency on {label}: p50 / p95 per action (ms), raw SQL p95 and the ratio")
    for action, values in times.items():
        floor = _p(raw[action], 0.95)
        p95 = _p(values, 0.95)
        print(
            f"  {action:<11} p50 {statistics.median(values):7.1f}  p95 {p95:7.1f}"
            f"   raw SQL p95 {floor:6.1f}  = {p95 / max(floor, 0.01):5.1f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--levels", type=int, default=100_000)
    parser.add_argument("--departments", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--redis-url", help="Reflex's state manager (default: on disk)")
    parser.add_argument("--keep-log", metavar="FILE", help="copy the app's log here")
    parser.add_argument(
        "--trace", action="store_true", help="print each sign-in's frames, URL changes, chunks"
    )
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from tests.support.ports import free_port

    with tempfile.TemporaryDirectory(prefix="bench-ui-latency-") as tmp:
        work = Path(tmp)
        env = _prepare(args.db, work, args.redis_url)
        started = time.perf_counter()
        username, t = seed(args.levels, args.departments)
        print(
            f"seeded {args.levels} levels in {args.departments} departments "
            f"in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        dept = _a_department(t)
        port = free_port(PORTS, shuffle=True)
        app = _start_app(port, env, work)
        actions = ("sign-in", "search", "next page", "department", "barcode")
        times: dict[str, list[float]] = {a: [] for a in actions}
        raw: dict[str, list[float]] = {a: [] for a in times}
        rng = random.Random(11)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
                )
                url = f"http://127.0.0.1:{port}"
                one_round(
                    browser,
                    url,
                    username,
                    t,
                    dept,
                    rng,
                    {a: [] for a in times},
                    {a: [] for a in times},
                )  # warm-up
                for _ in range(args.repeat):
                    one_round(browser, url, username, t, dept, rng, times, raw, args.trace)
                browser.close()
        finally:
            app.stop(grace=15)
            if args.keep_log:
                Path(args.keep_log).write_bytes((work / "app.log").read_bytes())
            if args.db == "postgresql":
                from bench._pg import drop_database

                drop_database(DATABASE)
        label = "SQLite" if args.db == "sqlite" else "PostgreSQL"
        label += " + Redis state" if args.redis_url else " + disk state"
        report(times, raw, f"{label}, {args.levels} levels, {args.repeat} rounds")


def _a_barcode(t: int, department_id: int, rng: random.Random) -> str:
    from stock_saas import db

    with db.read_session() as session:
        codes = session.execute(
            text(
                "SELECT i.barcode FROM items i JOIN stock_levels s ON s.item_id = i.id "
                "WHERE s.tenant_id = :t AND s.department_id = :d ORDER BY i.id LIMIT 500"
            ),
            {"t": t, "d": department_id},
        ).scalars()
        return str(rng.choice(list(codes)))


def _a_department(t: int) -> tuple[int, str]:
    from stock_saas import db

    with db.read_session() as session:
        row = session.execute(
            text("SELECT id, name FROM departments WHERE tenant_id = :t AND name = 'Dept 07'"),
            {"t": t},
        ).one()
    return int(row[0]), str(row[1])


if __name__ == "__main__":
    main()
