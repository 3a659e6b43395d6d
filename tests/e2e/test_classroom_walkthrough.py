"""A class in the browser (issue 12's "Done when"): the instructor imports a roster of 3, a
student signs in, builds and tests, another student cannot see it, the instructor opens it read
only and copies it. Each person in a browser of their own (their own cookies), on a real
classroom-mode server; the first instructor made as the README says, on the command line."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.db.store import Store
from app.main import create_app
from tests.accounts.helpers import classroom_settings
from tests.server import serving

from .conftest import ARTIFACTS, CHROMIUM
from .ui import click_in_diagram, run_test_connection, submit, swapped

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
LAPTOP = {"width": 1366, "height": 768}
ROSTER = "login,display_name\ns001,佐藤花子\ns002,Ken Suzuki\ns003,高橋 翔\n"


@pytest.fixture
def classroom_server(store: Store, database_url: str) -> Iterator[str]:
    app = create_app(classroom_settings(database_url, allowed_hosts=["127.0.0.1"]), store=store)
    with serving(app) as base:
        yield base


@pytest.fixture
def chromium() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: .ci/run installs Debian's chromium package")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


def create_instructor(database_url: str, login: str) -> str:
    """``python -m app.accounts create-instructor``, as the README says; its first password."""
    done = subprocess.run(
        [sys.executable, "-m", "app.accounts", "create-instructor", login, "--name", "田中先生"],
        env={
            **os.environ,
            "VPCLAB_MODE": "classroom",
            "VPCLAB_DATABASE_URL": database_url,
            "VPCLAB_AUTO_MIGRATE": "false",
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    lines = done.stdout.strip().splitlines()
    assert lines[-2].startswith("First password (shown once"), done.stdout
    return lines[-1].strip()


def inbound_rules(page: Any) -> list[str]:
    """The rules of the security group open in the inspector, as the table lists them."""
    return [
        rule.strip()
        for rule in page.locator(".inspector table >> nth=0").locator("code").all_inner_texts()
    ]


class Person:
    """One browser (its own cookies, its language) and the page they look at."""

    def __init__(self, browser: Any, base: str, language: str) -> None:
        self.context = browser.new_context(viewport=LAPTOP, locale=language)
        self.context.add_cookies([{"name": "vpclab_lang", "value": language, "url": base}])
        self.page = self.context.new_page()
        self.page.base = base
        self.problems: list[str] = []
        self.page.on(
            "console", lambda m: self.problems.append(m.text) if m.type == "error" else None
        )
        self.page.on("pageerror", lambda e: self.problems.append(str(e)))

    def go(self, path: str) -> Any:
        return self.page.goto(self.page.base + path)

    def sign_in(self, login: str, first_password: str, new_password: str) -> None:
        """Signs in with a first password and chooses their own, as the lab asks."""
        page = self.page
        self.go("/")
        assert page.url == page.base + "/login"  # nobody signed in: the sign-in page
        page.fill("#login-login", login)
        page.fill("#login-password", first_password)
        page.click("form[action='/login'] button[type=submit]")
        page.wait_for_url(re.compile(r"/account/password$"))
        assert page.locator(".account-card .notice").is_visible()  # "Welcome! … choose one"
        page.fill("#password-current", first_password)
        page.fill("#password-new", new_password)
        page.fill("#password-confirm", new_password)
        page.click("form[action='/account/password'] button[type=submit]")
        page.wait_for_url(re.compile(r"/account\?changed=1$"))
        assert page.locator("[role=alert]").count() == 0

    def screenshot(self, name: str) -> None:
        self.page.set_viewport_size(LAPTOP)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
        self.page.screenshot(path=str(ARTIFACTS / f"{name}-full.png"), full_page=True)


def test_a_class_roster_a_students_lab_hidden_from_another_and_read_only_to_the_instructor(
    chromium: Any, classroom_server: str, database_url: str, store: Store
) -> None:
    base = classroom_server
    first_password = create_instructor(database_url, "tanaka")
    people: list[Person] = []

    def person(language: str) -> Person:
        people.append(Person(chromium, base, language))
        return people[-1]

    # 1. The instructor (in Japanese) signs in, makes a class and imports a roster of 3.
    teacher = person("ja")
    page = teacher.page
    teacher.sign_in("tanaka", first_password, "teacher's own long password")
    page.click(".who a[href='/classes']")
    assert page.inner_text("h1") == "担当クラス"
    page.fill("#class-name", "クラウドネットワーク 2027 春")
    page.click("form[action='/classes'] button[type=submit]")
    page.wait_for_url(re.compile(r"/classes/\d+$"))
    class_path = page.url.removeprefix(base)
    assert page.inner_text("h1") == "クラウドネットワーク 2027 春"
    page.set_input_files(
        "#roster-file",
        files=[{"name": "roster.csv", "mimeType": "text/csv", "buffer": ROSTER.encode()}],
    )
    page.click(f"form[action='{class_path}/roster'] button[type=submit]")
    page.wait_for_url(re.compile(r"/roster$"))
    preview = page.locator("table tbody tr")
    assert preview.count() == 3
    assert "クラウドネットワーク 2027 春 に 3 人の受講者を追加します" in page.inner_text("main")
    assert "s001" in preview.nth(0).inner_text() and "佐藤花子" in preview.nth(0).inner_text()
    page.click(f"form[action='{class_path}/roster/import'] button[type=submit]")
    page.wait_for_url(re.compile(r"/roster/import$"))
    rows = page.locator("table tbody tr")
    assert rows.count() == 3
    passwords = {}
    for i in range(3):
        login = rows.nth(i).locator("td").nth(0).inner_text().strip()
        passwords[login] = rows.nth(i).locator("code.secret").inner_text().strip()
    assert sorted(passwords) == ["s001", "s002", "s003"]
    assert len(set(passwords.values())) == 3 and all(len(p) >= 8 for p in passwords.values())
    assert page.locator("form[action$='/passwords.csv'] button").is_visible()  # download CSV
    teacher.screenshot("classroom-ja-roster-passwords")

    # 2. Student 1 (in English) signs in, chooses a password, starts from seed 002, finds that
    # ping from home is blocked, allows it in the security group and saves the test.
    hanako = person("en")
    page = hanako.page
    hanako.sign_in("s001", passwords["s001"], "hanako's own password")
    hanako.go("/")
    assert "No topology yet" in page.inner_text("section.list")
    page.fill("#new-name", "Week 1 — ping from home")
    page.check("input[name=template][value=seed-002-ssh]")
    page.click("button:text-is('Create topology')")
    page.wait_for_url(re.compile(r"/topologies/\w+$"))
    lab_path = page.url.removeprefix(base)
    blocked = run_test_connection(
        page, source="The internet", destination="myinstance-0001", preset="ping"
    )
    assert blocked["codes"] == ["ENI_SG_RULES_MISMATCH"]
    click_in_diagram(page, "a.chip-security-group", "ssh")
    page.select_option("#authorize-sg-Type", "icmp")
    submit(page, "Add a security group rule")
    her_rules = inbound_rules(page)
    assert any("ICMP" in rule for rule in her_rules), her_rules
    ping = run_test_connection(
        page,
        source="The internet",
        destination="myinstance-0001",
        preset="ping",
        button="Test and save",
    )
    assert ping["verdict"].startswith("✔ Reachable")
    assert ping["forward"][-1] == "Instance"
    saved = page.locator(".saved-list li")
    assert saved.count() == 1
    assert saved.first.locator(".badge").inner_text() == "PASS"
    assert "myinstance-0001" in saved.first.inner_text()
    revision = page.inner_text(".ws-head .meta")
    page.locator(".verdict").scroll_into_view_if_needed()
    hanako.screenshot("classroom-en-student-workspace-tested")

    # 3. Student 2 (in Japanese) sees none of it: not in their list, and the address itself
    # answers the same 404 page as an id that never existed.
    ken = person("ja")
    page = ken.page
    ken.sign_in("s002", passwords["s002"], "ken's own password!")
    ken.go("/")
    assert "Week 1" not in page.inner_text("main")
    assert page.locator("section.list table").count() == 0  # no topology at all
    lab_id = lab_path.rsplit("/", 1)[1]
    unknown = ken.go("/topologies/" + "0" * len(lab_id))
    unknown_title = page.inner_text("h1")
    unknown_text = page.inner_text("main").replace("0" * len(lab_id), "…")
    forbidden = ken.go(lab_path)
    assert forbidden.status == unknown.status == 404
    assert page.inner_text("h1") == unknown_title == "ページが見つかりません"
    assert page.inner_text("main").replace(lab_id, "…") == unknown_text  # word for word
    assert "ping from home" not in page.content() and "myinstance" not in page.content()
    assert page.locator("svg.diagram, .read-only, .add-menu").count() == 0
    ken.screenshot("classroom-ja-other-student-404")
    # Chromium logs each 404 page it was given as a failed load: those two, and nothing else.
    assert len(ken.problems) == 2 and all("404 (Not Found)" in p for p in ken.problems)
    ken.problems.clear()

    # 4. The instructor (switching to English) finds the lab on the class page and opens it
    # read only: what Hanako built and the saved test, no forms to change it.
    page = teacher.page
    teacher.go(class_path)
    page.click(".language-switch a[lang=en]")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    labs = page.locator("table.class-labs tbody tr")
    assert labs.count() == 3
    hanako_row = labs.filter(has_text="s001")
    assert "Week 1 — ping from home" in hanako_row.inner_text()
    assert "No topology yet." in labs.filter(has_text="s002").inner_text()
    hanako_row.locator(f"a[href='{lab_path}']").click()
    page.wait_for_url(re.compile(re.escape(lab_path) + "$"))
    banner = page.locator(".read-only")
    assert banner.is_visible()
    assert "Read only: 佐藤花子's lab" in banner.inner_text()
    assert page.locator(".add-menu").count() == 0
    assert page.locator(".lab-life").inner_text().split() == ["History"]  # no undo, no reset
    assert page.locator("button", has_text=re.compile("Duplicate|Copy")).count() == 1
    assert page.locator("button:text-is('Test and save')").count() == 0
    assert page.locator(".saved-list li .badge").all_inner_texts() == ["PASS"]
    click_in_diagram(page, "a.chip-security-group", "ssh")
    assert inbound_rules(page) == her_rules  # the rule she added, to read
    assert page.locator(".inspector form").count() == 0  # and nothing to change it with
    swapped(page, lambda: page.click(".saved-list li a"))  # her saved test, run again to read
    assert page.inner_text(".verdict").startswith("✔ Reachable")
    page.locator(".read-only").scroll_into_view_if_needed()
    teacher.screenshot("classroom-en-instructor-read-only")

    # Copy to my labs: the instructor's own copy, which they can change; hers stays as it was.
    page.click(".read-only button:text-is('Copy to my labs')")
    page.wait_for_url(re.compile(r"/topologies/\w+\?done=copied$"))
    copy_path = page.url.removeprefix(base).split("?")[0]
    assert copy_path != lab_path
    assert page.locator(".read-only").count() == 0
    assert "Week 1 — ping from home" in page.inner_text("h1")
    assert page.locator(".saved-list li .badge").all_inner_texts() == ["PASS"]
    click_in_diagram(page, "a.chip-security-group", "ssh")
    page.select_option("#authorize-sg-Type", "http")
    submit(page, "Add a security group rule")
    assert [r for r in inbound_rules(page) if r not in her_rules] == ["HTTP TCP 80 0.0.0.0/0"]
    teacher.go("/")
    assert "Week 1 — ping from home" in page.inner_text("section.list")

    page = hanako.page
    hanako.go(lab_path)
    assert page.inner_text(".ws-head .meta") == revision
    click_in_diagram(page, "a.chip-security-group", "ssh")
    assert inbound_rules(page) == her_rules
    hanako.go("/")
    assert page.locator("section.list tbody tr").count() == 1  # the copy is not hers

    for someone in people:
        someone.context.close()
    assert not [p for someone in people for p in someone.problems]
