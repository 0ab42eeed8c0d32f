"""Issue 17: a workshop room with 5 participants and 1 facilitator in headless Chromium, for 60 s.

`journeymap workshop` runs as its own process. Every browser context adds sticky notes (through the page's
form) and votes (its buttons) as fast as it can; one participant reloads its page midway; the room's process
is killed (SIGKILL: nothing saved) and restarted on the same port, so the journey is rebuilt from the op log
while the pages keep their unsent changes and resend them. At the end every note and vote each page sent is in
the saved file exactly once. Screenshots: tests/browser/artifacts/room_*.png (copied to docs/gallery/).
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from servers import CHROMIUM, chromium, refuse_off_machine

import journeymap as jm

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).with_name("artifacts")
DURATION_S = float(os.environ.get("JM_ROOM_SECONDS", 60))  # the issue asks for 60 s; shorter to debug
PEOPLE = ["Ana", "Bo", "Chidi", "Dara", "Eun"]

#: Every op a page sends is also noted in its localStorage (kept across a reload), so the test knows what was sent.
RECORD = """
document.addEventListener("DOMContentLoaded", () => {
  const orig = window.send;
  window.send = function (kind, payload) {
    const sent = JSON.parse(localStorage.getItem("jm-test-sent") || "[]");
    sent.push([kind, payload]);
    localStorage.setItem("jm-test-sent", JSON.stringify(sent));
    return orig(kind, payload);
  };
});
"""


def start_room(path: Path, port: int | None = None) -> tuple[subprocess.Popen, str, str, int]:
    cmd = [sys.executable, "-m", "journeymap.cli", "workshop", str(path), "--autosave", "2", "--no-qr"]
    proc = subprocess.Popen(cmd + (["--port", str(port)] if port else []), cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    head = "".join(proc.stdout.readline() for _ in range(3))
    join = re.search(r"participants join: (http://127\.0\.0\.1:(\d+)/\?t=\S+)", head)
    fac = re.search(r"facilitator: +(http://\S+)", head)
    assert join and fac, head + proc.stderr.read()
    return proc, join.group(1), fac.group(1), int(join.group(2))


def add_note(page, rng: random.Random, text: str) -> None:
    buttons = page.locator("li.card > .row button:not(.secondary)")
    buttons.nth(rng.randrange(buttons.count())).click(timeout=5000)
    if rng.random() < 0.3:
        page.locator("#note-kind input[value=idea]").check()
    page.fill("#composer-text", text)
    page.click("#composer-send")


def vote(page, rng: random.Random) -> None:
    buttons = page.locator("button.vote:not([disabled])")
    n = buttons.count()
    if n:
        buttons.nth(rng.randrange(n)).click(timeout=5000)


def join(page, url: str, name: str) -> None:
    page.goto(url)
    page.fill("#name", name)
    page.click("#join-button")
    page.wait_for_selector("li.card")


def test_five_participants_and_a_facilitator_for_a_minute(tmp_path):
    from playwright.sync_api import expect

    path = tmp_path / "journey.yaml"
    jm.save(jm.load(jm.shipped_journey("retail_bopis_multichannel")), path)
    proc, url, fac_url, port = start_room(path)
    refused: list[str] = []
    rng = random.Random(17)
    try:
        with chromium(tmp_path / "home") as browser:
            pages = []
            for i, name in enumerate([*PEOPLE, "Facilitator"]):
                phone = i == 0
                ctx = browser.new_context(viewport={"width": 390, "height": 844} if phone else
                                          {"width": 1280, "height": 900})
                refuse_off_machine(ctx, refused)
                ctx.add_init_script(RECORD)
                page = ctx.new_page()
                join(page, fac_url if name == "Facilitator" else url, name)
                pages.append(page)
            fac = pages[-1]
            fac.fill("#round-label", "Worst pains, best ideas")
            fac.select_option("#round-on", "both")
            fac.fill("#round-dots", "50")
            fac.click("#open-round")
            for page in pages:
                page.wait_for_selector("button.vote", timeout=10000)  # every page sees the round within 2 s
            n = 0
            start = time.monotonic()
            reloaded = restarted = False
            while time.monotonic() - start < DURATION_S:
                k = n % len(pages)
                page = pages[k]
                try:
                    if rng.random() < 0.5:
                        add_note(page, rng, f"{page.evaluate('me()')} note {n}")
                    else:
                        vote(page, rng)
                except Exception:  # a card re-rendered under the click: the action did not happen (not recorded)
                    if page.is_visible("#composer"):
                        page.locator("#composer-cancel").click(timeout=2000)
                n += 1
                elapsed = time.monotonic() - start
                if not reloaded and elapsed > DURATION_S / 3:
                    pages[2].reload()
                    pages[2].wait_for_selector("li.card")
                    reloaded = True
                if not restarted and elapsed > DURATION_S / 2:
                    proc.send_signal(signal.SIGKILL)  # the facilitator's process dies: nothing is saved
                    proc.wait(timeout=30)
                    for _ in range(3):  # pages keep working offline meanwhile
                        add_note(pages[n % 5], rng, f"{pages[n % 5].evaluate('me()')} offline note {n}")
                        n += 1
                    proc, _, _, port2 = start_room(path, port)
                    assert port2 == port
                    restarted = True
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and any(
                    p.evaluate("queue().length") or p.is_visible("#composer") for p in pages):
                time.sleep(0.5)
            left = [(p.evaluate("me()"), p.evaluate("queue()"), p.text_content("#status")) for p in pages
                    if p.evaluate("queue().length")]
            assert not left, f"unsent changes left: {left}"
            sent = [op for p in pages for op in json.loads(p.evaluate("localStorage.getItem('jm-test-sent')"))]
            names = [p.evaluate("me()") for p in pages]
            fac.click("#save")
            expect(fac.locator("#status")).to_have_text("Saved", timeout=30000)  # (the page's CSP forbids eval)
            ARTIFACTS.mkdir(exist_ok=True)
            pages[0].screenshot(path=str(ARTIFACTS / "room_participant_phone.png"))
            fac.locator("#facilitator").screenshot(path=str(ARTIFACTS / "room_votes.png"))
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=120)
    assert proc.returncode == 0
    assert not refused
    j = jm.load(path)
    notes = [p.text for p, _ in j.pain_points()] + [o.text for o in j.opportunities]
    sent_notes = [payload["text"] for kind, payload in sent if kind == "note"]
    assert len(sent_notes) > DURATION_S / 3
    counts = Counter(notes)
    assert all(counts[t] == 1 for t in sent_notes), [t for t in sent_notes if counts[t] != 1]
    (round_,) = j.votes
    sent_votes = Counter(payload["target"] for kind, payload in sent if kind == "vote")
    assert sum(sent_votes.values()) > DURATION_S / 3
    assert round_.counts == dict(sent_votes)
    assert sum(round_.voters.values()) == sum(sent_votes.values()) and set(round_.voters) <= set(names)
    log = [json.loads(line) for line in (tmp_path / "journey.ops.jsonl").read_text().splitlines()]
    assert len(log) == len({op["id"] for op in log}) == len(sent)  # each action logged once


AXE = Path(__file__).with_name("vendor") / "axe.min.js"
GALLERY_OPS = [  # (participant, kind, payload): a realistic room, for the pictures
    ("Facilitator", "open_round", {"round": "r1", "label": "Where does it hurt most? Which idea first?", "on": "both",
                                   "dots": 5}),
    ("Ana", "note", {"on": "product_page", "kind": "pain", "text": "I can't tell whether the coat runs small"}),
    ("Bo", "note", {"on": "store_pickup", "kind": "pain", "text": "Nobody at the till knew my parcel was there"}),
    ("Chidi", "comment", {"target": "no_live_store_stock", "text": "We hear this in every store survey"}),
    ("Dara", "comment", {"target": "product_page", "text": "Sizes differ between the app and the site"}),
]
VOTES = {"Ana": ["slow_refund", "no_live_store_stock", "instant_store_refund"],
         "Bo": ["slow_refund", "shared_till_queue", "shared_till_queue", "instant_store_refund", "unified_oms"],
         "Chidi": ["slow_refund", "paper_return_form", "instant_store_refund", "dedicated_pickup_point"],
         "Dara": ["agent_cant_see_return", "slow_refund", "single_customer_view", "instant_store_refund"],
         "Eun": ["no_live_store_stock", "slow_refund", "unified_oms", "instant_store_refund", "deep_link_ads"]}


def test_room_pictures_phone_and_voting_results(tmp_path):
    """The participant page on a phone (390 × 844: no sideways scrolling, no serious axe violation) and the
    facilitator's voting results next to the model's ranking; both saved as pictures."""
    import uuid

    from journeymap.room.server import RoomServer
    from journeymap.room.state import Room

    path = tmp_path / "journey.yaml"
    jm.save(jm.load(jm.shipped_journey("retail_bopis_multichannel")), path)
    room = Room(path)
    for who, kind, payload in GALLERY_OPS:
        role = "facilitator" if who == "Facilitator" else "participant"
        assert room.submit({"id": str(uuid.uuid4()), "participant": who, "role": role, "kind": kind,
                            "payload": payload, "at": "2026-11-30T09:00:00+00:00"}) is None
    for who, targets in VOTES.items():
        for target in targets:
            assert room.submit({"id": str(uuid.uuid4()), "participant": who, "kind": "vote",
                                "payload": {"round": "r1", "target": target},
                                "at": "2026-11-30T09:10:00+00:00"}) is None, (who, target)
    server = RoomServer(room).start()
    refused: list[str] = []
    try:
        with chromium(tmp_path / "home") as browser:
            ctx = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
            refuse_off_machine(ctx, refused)
            page = ctx.new_page()
            page.goto(server.url())
            page.fill("#name", "Ana")
            page.click("#join-button")
            page.wait_for_selector("li.card")
            page.wait_for_selector("button.vote")
            assert page.text_content("#voting") == "Where does it hurt most? Which idea first?: 2 of 5 dots left"
            assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "room_participant_phone.png"))
            fac = browser.new_context(viewport={"width": 1100, "height": 900}).new_page()
            fac.goto(server.url(facilitator=True))
            fac.fill("#name", "Facilitator")
            fac.click("#join-button")
            fac.wait_for_selector("#ranking table")
            rows = fac.locator("#ranking table").first.locator("tbody tr")
            assert rows.first.locator("td").first.text_content().startswith("Refund")  # the room's first
            fac.locator("#facilitator").screenshot(path=str(ARTIFACTS / "room_votes.png"))
            audit = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True).new_page()
            audit.goto(server.url())
            audit.wait_for_selector("li.card")
            audit.add_script_tag(path=str(AXE))
            result = audit.evaluate("axe.run(document, {resultTypes: ['violations']})")
            bad = [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in result["violations"]
                   if v["impact"] in ("serious", "critical")]
            assert not bad, bad
    finally:
        server.stop()
    assert not refused
