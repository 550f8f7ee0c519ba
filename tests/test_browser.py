"""End to end in a real headless Chromium (Debian's package, driven by Playwright).

Logs in, works comments by keyboard (single, undo, bulk), checks they leave the
queue and appear in their history, that hostile text stays text, that a
moderator cannot open admin pages, and logs out. Prints the server time per
moderator action (p50/p99, from the Server-Timing header) and writes
screenshots at 1280x800 and 390 px wide to /tmp (see the -s output).
"""

from __future__ import annotations

import os
import statistics
import threading
from pathlib import Path

import pytest
from queue_helpers import PASSWORD, Site, add_user, held_models_dir
from werkzeug.serving import make_server

from service.serving.policy_store import apply_changes

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>"
SHOTS = Path(os.environ.get("QUEUE_SCREENSHOTS", "/tmp"))

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is missing: apt-get install chromium"
)


@pytest.fixture
def server(configured_app, models_dir):
    """The app on the test's database, served by a real HTTP server in a thread."""
    app = configured_app(held_models_dir(models_dir))
    with app.app_context():
        apply_changes({"hold_all": True}, "test", None)  # hold everything, even harmless text
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(5)


@pytest.fixture
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


def log_in(page, base: str, username: str) -> None:
    page.goto(base + "/queue")
    assert "/login" in page.url
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#queue[data-ready=true]")


def queue_ids(page) -> list[int]:
    return [
        int(i)
        for i in page.eval_on_selector_all("article.item", "els => els.map(e => e.dataset.id)")
    ]


def press_and_wait_gone(page, key: str, comment_id: int) -> None:
    page.keyboard.press(key)
    page.wait_for_selector(f"#item-{comment_id}", state="detached", timeout=5000)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def test_moderator_works_the_queue_by_keyboard(server, browser):
    app, base = server
    add_user(app, "mo")
    site = Site(app)
    insult = site.submit("You are an idiot, frankly.", article="budget")
    spam = site.submit("buynow and save on pills today", article="budget")
    plain = site.submit("I disagree with the minister.", article="budget")
    hostile = site.submit(XSS, article="budget", author="u-x")
    fillers = [
        site.submit(f"Comment number {n} on the rail strike.", article="rail")["id"]
        for n in range(24)
    ]

    dialogs: list[str] = []
    timings: dict[str, list[float]] = {}

    def on_response(response) -> None:
        if "/api/v1/queue/" not in response.url or response.request.method == "GET":
            return
        header = response.headers.get("server-timing", "")
        if "dur=" in header:
            kind = response.url.rsplit("/", 1)[-1]
            timings.setdefault(kind, []).append(float(header.split("dur=")[1].split(";")[0]))

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("response", on_response)
    log_in(page, base, "mo")

    # Loaded: oldest first, the first item selected, no field holding the focus.
    assert queue_ids(page)[:4] == [insult["id"], spam["id"], plain["id"], hostile["id"]]
    assert page.get_attribute(f"#item-{insult['id']}", "class").split().count("current") == 1
    assert page.evaluate("document.activeElement.tagName") not in ("INPUT", "SELECT", "TEXTAREA")
    assert page.inner_text(f"#item-{insult['id']} mark") == "idiot"
    assert page.text_content(f"#item-{insult['id']} .text") == "You are an idiot, frankly."
    # Hostile text is shown as text, and nothing ran.
    assert page.text_content(f"#item-{hostile['id']} .text") == XSS
    assert page.query_selector_all("article.item .text img, article.item .text script") == []
    page.screenshot(path=str(SHOTS / "queue-1280x800.png"))

    # a: approve the first; r: reject the second with the suggested reason (promotion).
    press_and_wait_gone(page, "a", insult["id"])
    assert "current" in page.get_attribute(f"#item-{spam['id']}", "class")
    press_and_wait_gone(page, "r", spam["id"])
    # The third: approve by mistake, undo it (u), then 4 picks personal_attack and r rejects.
    press_and_wait_gone(page, "a", plain["id"])
    page.keyboard.press("u")
    page.wait_for_selector(f"#item-{plain['id']}.current")
    page.keyboard.press("4")
    press_and_wait_gone(page, "r", plain["id"])

    # c: the conversation, acted on without leaving the queue (overturn the approved insult).
    assert "current" in page.get_attribute(f"#item-{hostile['id']}", "class")
    page.keyboard.press("c")
    rows = page.locator(f"#item-{hostile['id']} .ctx-list > li")
    rows.first.wait_for()
    assert rows.count() == 4
    assert rows.nth(3).locator(".text").text_content() == XSS
    assert page.query_selector_all(".ctx-list img, .ctx-list script") == []
    rows.nth(0).get_by_role("button", name="Overturn: reject").click()
    page.wait_for_selector(f"#item-{hostile['id']} .ctx-list > li:first-child .status-rejected")
    page.keyboard.press("c")
    # s: skip the hostile one (back to the queue for later); the next is selected.
    page.keyboard.press("s")
    page.wait_for_selector(f"#item-{fillers[0]}.current")

    # Bulk: select three with x and approve them together.
    for _ in range(3):
        page.keyboard.press("x")
        page.keyboard.press("j")
    page.wait_for_selector("#bulkbar:not([hidden])")
    page.keyboard.press("a")
    for comment_id in fillers[:3]:
        page.wait_for_selector(f"#item-{comment_id}", state="detached")
    # The rest one by one, to measure.
    for comment_id in fillers[3:]:
        page.wait_for_selector(f"#item-{comment_id}.current")
        press_and_wait_gone(page, "a", comment_id)

    page.reload()
    page.wait_for_selector("#queue[data-ready=true]")
    assert queue_ids(page) == [hostile["id"]]
    assert dialogs == []

    # Their history, as the website sees it.
    seen_insult = site.read(insult["id"])
    assert [(d["status"], d["decided_by"]) for d in seen_insult["history"]] == [
        ("pending", "model"),
        ("approved", "moderator"),
        ("rejected", "moderator"),
    ]
    assert seen_insult["reason"]["code"] == "personal_attack"
    seen_spam = site.read(spam["id"])
    assert (seen_spam["status"], seen_spam["reason"]["code"]) == ("rejected", "promotion")
    seen_plain = site.read(plain["id"])
    assert [(d["status"], d["decided_by"]) for d in seen_plain["history"]] == [
        ("pending", "model"),
        ("approved", "moderator"),
        ("pending", "moderator"),
        ("rejected", "moderator"),
    ]
    assert seen_plain["history"][2]["undoes"] == seen_plain["history"][1]["id"]
    assert seen_plain["reason"]["code"] == "personal_attack"
    assert all(site.read(i)["status"] == "approved" for i in fillers)
    # ... and on the comment's page.
    page.goto(f"{base}/queue/comments/{plain['id']}")
    history = page.inner_text("#history")
    assert "undoes decision" in history and history.count("mo") >= 3

    # A moderator cannot open admin pages.
    for path in ("/admin/users", "/admin/api-keys", "/admin/policy", "/admin/models"):
        assert page.goto(base + path).status == 403

    # Phone width: the same queue is usable at 390 px.
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    small = phone.new_page()
    small.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    site.submit("Another idiot remark for the phone view.", article="budget")
    log_in(small, base, "mo")
    assert small.evaluate("document.documentElement.scrollWidth") <= 390
    small.screenshot(path=str(SHOTS / "queue-390.png"), full_page=False)
    small.screenshot(path=str(SHOTS / "queue-390-full.png"), full_page=True)
    phone.close()

    # Logout.
    page.goto(base + "/queue")
    page.click("#logout")
    page.wait_for_url("**/login")
    page.goto(base + "/queue")
    assert "/login" in page.url
    assert dialogs == []
    context.close()

    actions = [
        t for kind in ("decision", "bulk", "undo", "overturn") for t in timings.get(kind, [])
    ]
    assert len(timings.get("decision", [])) >= 20
    print(
        f"\nserver time per moderator action (Server-Timing, n={len(actions)}): "
        f"p50 {statistics.median(actions):.1f} ms, p99 {percentile(actions, 0.99):.1f} ms; "
        + ", ".join(
            f"{kind} n={len(v)} p50 {statistics.median(v):.1f} ms"
            for kind, v in sorted(timings.items())
        )
    )
    print(f"screenshots: {SHOTS / 'queue-1280x800.png'}, {SHOTS / 'queue-390.png'}")
