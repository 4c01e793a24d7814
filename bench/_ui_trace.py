"""``bench.ui_latency --trace``: where a sign-in's time goes, as the page saw it.

The page records (its own clock, ``performance.now()``) every websocket frame it sends or
receives, each URL change, and the JS chunks fetched after the click; :func:`timeline`
prints them relative to the click, with the moment the rows were shown.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

__all__ = ["RECORDER", "timeline"]

# Installed with the bench's SPY (init script): fills window.__trace while it is an array.
RECORDER = """
(() => {
  window.__trace = null;
  const note = (kind, text) => {
    if (!window.__trace) return;
    window.__trace.push([performance.now(), kind, String(text)]);
    performance.mark(kind + " " + String(text).slice(0, 40));
  };
  window.__note = note;
  const Native = window.WebSocket;
  const Traced = function (...args) {
    const ws = new Native(...args);
    const send = ws.send.bind(ws);
    ws.send = (data) => { note("sent", data); return send(data); };
    ws.addEventListener("message", (m) => note("recv", m.data));
    return ws;
  };
  Traced.prototype = Native.prototype;
  Object.assign(Traced, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  window.WebSocket = Traced;
  for (const name of ["pushState", "replaceState"]) {
    const native = history[name].bind(history);
    history[name] = (...args) => { note("url", name + " " + args[2]); return native(...args); };
  }
})();
"""


def _payload(frame: str) -> Any:
    """A Socket.IO event frame's arguments (``42["event", {...}]``), else None."""
    start = frame.find("[")
    if not frame.startswith("42") or start < 0:
        return None
    try:
        return json.loads(frame[start:])
    except ValueError:
        return None


def _describe(kind: str, text: str) -> str:
    if kind != "sent" and kind != "recv":
        return f"{kind:<5} {text[:120]}"
    args = _payload(text)
    if not args:
        return f"{kind:<5} {text[:60]!r} ({len(text)} B)"
    body = args[1] if len(args) > 1 else None
    if isinstance(body, str):
        with contextlib.suppress(ValueError):
            body = json.loads(body)
    if kind == "sent" and isinstance(body, dict):
        return f"sent  {str(body.get('name', '?')).rsplit('.', 2)[-2:]} ({len(text)} B)"
    if isinstance(body, dict):
        delta = body.get("delta") or {}
        changed = [
            f"{state.rsplit('.', 1)[-1]}:{','.join(sorted(k.split('_rx_state_')[0] for k in v))}"
            for state, v in delta.items()
        ]
        queued = [str(e.get("name", "?")).rsplit(".", 1)[-1] for e in body.get("events") or []]
        final = "final" if body.get("final") else "more"
        return f"recv  {final} delta {' '.join(changed)[:150]} events {queued} ({len(text)} B)"
    return f"{kind:<5} {str(args)[:100]} ({len(text)} B)"


def start(page: Any) -> None:
    page.evaluate("window.__trace = []")


def timeline(page: Any, clicked: float, shown: float) -> list[str]:
    """The frames, URL changes and chunks since ``start`` (ms after the click, page clock:
    ``clicked`` and ``shown`` are Date.now() values, converted here)."""
    entries, origin, chunks = page.evaluate(
        "[window.__trace, performance.timeOrigin,"
        " performance.getEntriesByType('resource').filter(r => r.name.endsWith('.js'))"
        ".map(r => [r.startTime, r.responseEnd, r.name.split('/').pop()])]"
    )
    at_click = clicked - origin
    lines = [f"  {t - at_click:7.1f}  {_describe(kind, text)}" for t, kind, text in entries or []]
    lines += [
        f"  {a - at_click:7.1f}  chunk {name} until {b - at_click:.1f}"
        for a, b, name in chunks
        if a >= at_click
    ]
    lines.sort(key=lambda line: float(line.split()[0]))
    lines.append(f"  {shown - clicked:7.1f}  shown")
    return lines
