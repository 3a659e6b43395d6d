"""Accounts in the database: who may sign in, their login sessions and API tokens, their classes.

Secrets never reach the database as they are: passwords are Argon2id hashes
(``app.accounts.passwords``); a login session's id and an API token are random values of 256 bits
kept as their SHA-256. A slow hash protects what a person chose and may reuse elsewhere; a value
of 256 random bits cannot be guessed, so a fast hash suffices, and it lets the row be found by
its hash with one index lookup on every request (an Argon2 hash per API call would cost each
script call tens of milliseconds and 19 MiB).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, update
from sqlmodel import Session, col, select

from app.db import tables
from app.db.session import writer
from app.i18n import LANGUAGES

from .actor import Actor
from .passwords import (
    MAX_LENGTH,
    MIN_LENGTH,
    generate_password,
    hash_password,
    needs_rehash,
    verify_password,
)


def N_(message: str) -> str:  # marks a page word for Babel; translated where it is shown
    return message


LOGIN_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
TOKEN_PREFIX = "vpclab_"
# How often a token's "last used" is written: a script calling in a loop writes once a minute.
LAST_USED_EVERY = timedelta(minutes=1)


class Refused(Exception):
    """A request about accounts that is refused: ``message`` is a page word (N_) with
    ``params``; ``field`` names the form field it is about."""

    def __init__(self, message: str, field: str = "", **params: Any) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.field = field
        self.params = params


def normalize_login(login: str) -> str:
    return login.strip().lower()


def check_login(login: str) -> str:
    """The login as it is kept (lower case), or Refused."""
    login = normalize_login(login)
    if not LOGIN_PATTERN.fullmatch(login):
        raise Refused(
            N_(
                "A login is 2 to 64 characters: lower-case letters a-z, digits, and . _ - "
                "(starting with a letter or a digit)."
            ),
            "login",
        )
    return login


def check_new_password(password: str, confirm: str, login: str) -> None:
    if len(password) < MIN_LENGTH:
        raise Refused(
            N_("A password needs at least %(count)d characters."), "password", count=MIN_LENGTH
        )
    if len(password) > MAX_LENGTH:
        raise Refused(
            N_("A password has at most %(count)d characters."), "password", count=MAX_LENGTH
        )
    if password.strip().lower() == login:
        raise Refused(N_("Choose a password that is not your login."), "password")
    if password != confirm:
        raise Refused(N_("The two passwords are not the same: type it again."), "confirm")


def check_display_name(name: str, login: str) -> str:
    name = " ".join(name.split())
    if len(name) > 200:
        raise Refused(N_("A display name has at most 200 characters."), "display_name")
    return name or login


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """SQLite hands datetimes back without their zone; every one the lab writes is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass
class Signed:
    """Who a login session or a token belongs to, with what the pages need of them."""

    actor: Actor
    display_name: str
    must_change_password: bool
    language: str | None


def signed(account: tables.Account) -> Signed:
    assert account.id is not None
    role = account.role if account.role in ("owner", "instructor", "student") else "student"
    return Signed(
        Actor(account.id, role, account.login),  # type: ignore[arg-type]
        account.display_name or account.login,
        account.must_change_password,
        account.language if account.language in LANGUAGES else None,
    )


@dataclass
class NewAccount:
    """An account just created, with the first password to hand over once."""

    id: int
    login: str
    display_name: str
    password: str


@dataclass
class RosterRow:
    """A line of a roster, and what refuses it (page words, ``params`` for their blanks)."""

    line: int
    login: str
    display_name: str
    problems: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)


class Accounts:
    """Every read and write of accounts, sessions, tokens and classes."""

    def __init__(self, engine: Engine, *, session_hours: float = 12.0) -> None:
        self.engine = engine
        self._writer = writer(engine)
        self.session_lifetime = timedelta(hours=session_hours)

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def _write(self) -> Iterator[Session]:
        with Session(self._writer, expire_on_commit=False) as session:
            yield session
            session.commit()

    # ---- accounts ----------------------------------------------------------------------------
    def _by_login(self, session: Session, login: str) -> tables.Account | None:
        return session.exec(
            select(tables.Account).where(tables.Account.login == normalize_login(login))
        ).first()

    def get(self, account_id: int) -> tables.Account | None:
        with self._read() as session:
            return session.get(tables.Account, account_id)

    def find(self, login: str) -> tables.Account | None:
        with self._read() as session:
            return self._by_login(session, login)

    def create(
        self,
        login: str,
        *,
        role: str,
        display_name: str = "",
        password: str | None = None,
        must_change_password: bool = True,
    ) -> NewAccount:
        """A new account with ``password`` (or a generated one, to hand over once)."""
        login = check_login(login)
        name = check_display_name(display_name, login)
        password = password or generate_password()
        with self._write() as session:
            return self._add(session, login, name, role, password, must_change_password)

    def _add(
        self,
        session: Session,
        login: str,
        name: str,
        role: str,
        password: str,
        must_change_password: bool,
    ) -> NewAccount:
        if self._by_login(session, login) is not None:
            raise Refused(N_("The login %(login)s is taken."), "login", login=login)
        account = tables.Account(
            login=login,
            display_name=name,
            role=role,
            password_hash=hash_password(password),
            must_change_password=must_change_password,
        )
        session.add(account)
        session.flush()
        assert account.id is not None
        return NewAccount(account.id, login, name, password)

    def authenticate(self, login: str, password: str) -> tables.Account | None:
        """The account whose password this is, else None. An unknown login costs the same hash
        as a known one (no enumeration by timing)."""
        account = self.find(login) if len(password) <= MAX_LENGTH else None
        stored = account.password_hash if account else None
        if not verify_password(stored, password[:MAX_LENGTH]) or account is None:
            return None
        if stored and needs_rehash(stored):
            self._set_password(account.id, password, must_change=account.must_change_password)
        return account

    def _set_password(self, account_id: int | None, password: str, *, must_change: bool) -> None:
        with self._write() as session:
            session.execute(
                update(tables.Account)
                .where(col(tables.Account.id) == account_id)
                .values(password_hash=hash_password(password), must_change_password=must_change)
            )

    def change_password(self, account_id: int, password: str) -> None:
        """A new password the user chose; every login session of theirs ends."""
        self._set_password(account_id, password, must_change=False)
        self.end_sessions(account_id)

    def reset_password(self, account_id: int) -> str:
        """A new generated password (to hand over once, changed at next sign-in); every login
        session of the account ends."""
        password = generate_password()
        self._set_password(account_id, password, must_change=True)
        self.end_sessions(account_id)
        return password

    def set_language(self, account_id: int, language: str | None) -> None:
        with self._write() as session:
            session.execute(
                update(tables.Account)
                .where(col(tables.Account.id) == account_id)
                .values(language=language if language in LANGUAGES else None)
            )

    # ---- login sessions ----------------------------------------------------------------------
    def start_session(self, account_id: int) -> str:
        """A new login session: its random id, for the cookie (the database keeps its hash)."""
        secret = secrets.token_urlsafe(32)
        now = utcnow()
        with self._write() as session:
            session.add(
                tables.LoginSession(
                    account_id=account_id,
                    token_hash=digest(secret),
                    created_at=now,
                    expires_at=now + self.session_lifetime,
                )
            )
            # Forget this account's expired sessions while here.
            session.execute(
                delete(tables.LoginSession).where(
                    col(tables.LoginSession.account_id) == account_id,
                    col(tables.LoginSession.expires_at) < now,
                )
            )
        return secret

    def session_user(self, secret: str) -> Signed | None:
        with self._read() as session:
            found = session.exec(
                select(tables.LoginSession, tables.Account)
                .join(tables.Account, col(tables.Account.id) == tables.LoginSession.account_id)
                .where(tables.LoginSession.token_hash == digest(secret))
            ).first()
        if found is None:
            return None
        login_session, account = found
        if aware(login_session.expires_at) <= utcnow() or account.password_hash is None:
            return None
        return signed(account)

    def end_session(self, secret: str) -> None:
        with self._write() as session:
            session.execute(
                delete(tables.LoginSession).where(
                    col(tables.LoginSession.token_hash) == digest(secret)
                )
            )

    def end_sessions(self, account_id: int) -> None:
        with self._write() as session:
            session.execute(
                delete(tables.LoginSession).where(col(tables.LoginSession.account_id) == account_id)
            )

    # ---- API tokens --------------------------------------------------------------------------
    def create_token(self, account_id: int, name: str) -> tuple[tables.ApiToken, str]:
        """A new token: its row, and the token itself (shown once, kept as its SHA-256)."""
        name = " ".join(name.split())
        if not name or len(name) > 100:
            raise Refused(
                N_("Name the token (1 to 100 characters), e.g. the script using it."), "name"
            )
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        row = tables.ApiToken(
            account_id=account_id,
            name=name,
            prefix=secret[: len(TOKEN_PREFIX) + 6],
            token_hash=digest(secret),
        )
        with self._write() as session:
            session.add(row)
        return row, secret

    def tokens(self, account_id: int) -> list[tables.ApiToken]:
        with self._read() as session:
            return list(
                session.exec(
                    select(tables.ApiToken)
                    .where(tables.ApiToken.account_id == account_id)
                    .order_by(col(tables.ApiToken.created_at), col(tables.ApiToken.id))
                ).all()
            )

    def token(self, account_id: int, token_id: int) -> tables.ApiToken | None:
        with self._read() as session:
            row = session.get(tables.ApiToken, token_id)
        return row if row is not None and row.account_id == account_id else None

    def revoke_token(self, account_id: int, token_id: int) -> bool:
        with self._write() as session:
            done = session.execute(
                delete(tables.ApiToken).where(
                    col(tables.ApiToken.id) == token_id,
                    col(tables.ApiToken.account_id) == account_id,
                )
            )
        return bool(getattr(done, "rowcount", 0))

    def token_user(self, secret: str) -> Signed | None:
        if not secret.startswith(TOKEN_PREFIX):
            return None
        with self._read() as session:
            found = session.exec(
                select(tables.ApiToken, tables.Account)
                .join(tables.Account, col(tables.Account.id) == tables.ApiToken.account_id)
                .where(tables.ApiToken.token_hash == digest(secret))
            ).first()
        if found is None:
            return None
        token, account = found
        now = utcnow()
        if token.last_used_at is None or now - aware(token.last_used_at) > LAST_USED_EVERY:
            with self._write() as session:
                session.execute(
                    update(tables.ApiToken)
                    .where(col(tables.ApiToken.id) == token.id)
                    .values(last_used_at=now)
                )
        return signed(account)


# ---- classes ------------------------------------------------------------------------------------
JOIN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed by hand
JOIN_LENGTH = 8  # 40 bits; /join counts failures like sign-in does
MAX_ROSTER_ROWS = 500


def normalize_join_code(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


def show_join_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def read_roster(data: bytes) -> str:
    """The roster's text: UTF-8 (with or without Excel's BOM), else Shift_JIS (what Excel for
    Japanese Windows saves as CSV)."""
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Refused(N_("The roster is not a text file (save it as CSV, UTF-8)."), "roster")


def parse_roster(text: str) -> list[RosterRow]:
    """Rows of ``login,display_name`` (a header line naming them is skipped), each with the
    problems that refuse it, numbered by their line in the file."""
    import csv

    rows: list[RosterRow] = []
    for number, cells in enumerate(csv.reader(text.splitlines()), start=1):
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue
        if not rows and number <= 1 and cells[0].lower() in ("login", "ログイン名"):
            continue  # the header
        login = normalize_login(cells[0]) if cells else ""
        name = cells[1] if len(cells) > 1 else ""
        row = RosterRow(number, login, " ".join(name.split()) or login)
        if len(cells) > 2:
            row.problems.append(N_("More than two columns: login,display_name."))
        if not LOGIN_PATTERN.fullmatch(login):
            row.problems.append(
                N_(
                    "A login is 2 to 64 characters: lower-case letters a-z, digits, and . _ - "
                    "(starting with a letter or a digit)."
                )
            )
        if len(name) > 200:
            row.problems.append(N_("A display name has at most 200 characters."))
        rows.append(row)
    if len(rows) > MAX_ROSTER_ROWS:
        raise Refused(
            N_("A roster has at most %(count)d students: split it in two."),
            "roster",
            count=MAX_ROSTER_ROWS,
        )
    first_line: dict[str, int] = {}
    for row in rows:
        if row.login in first_line:
            row.problems.append(N_("The same login as line %(line)d."))
            row.params = {"line": first_line[row.login]}
        else:
            first_line[row.login] = row.line
    return rows


class Classes:
    """An instructor's classes and their students (every method checks the instructor)."""

    def __init__(self, accounts: Accounts) -> None:
        self.accounts = accounts

    def create(self, instructor_id: int, name: str) -> int:
        name = " ".join(name.split())
        if not name or len(name) > 200:
            raise Refused(N_("A class needs a name of 1 to 200 characters."), "name")
        with self.accounts._write() as session:
            row = tables.Classroom(name=name, instructor_id=instructor_id)
            session.add(row)
            session.flush()
            assert row.id is not None
            return row.id

    def of(self, instructor_id: int) -> list[tuple[tables.Classroom, int]]:
        """The instructor's classes, each with its number of students."""
        from sqlalchemy import func

        with self.accounts._read() as session:
            rows = session.exec(
                select(tables.Classroom, func.count(col(tables.Membership.account_id)))
                .outerjoin(
                    tables.Membership,
                    col(tables.Membership.classroom_id) == tables.Classroom.id,
                )
                .where(tables.Classroom.instructor_id == instructor_id)
                .group_by(col(tables.Classroom.id))
                .order_by(col(tables.Classroom.created_at), col(tables.Classroom.id))
            ).all()
        return [(room, int(count)) for room, count in rows]

    def get(self, instructor_id: int, class_id: int) -> tables.Classroom | None:
        """The class, when it is this instructor's (else None: the pages answer 404)."""
        with self.accounts._read() as session:
            room = session.get(tables.Classroom, class_id)
        return room if room is not None and room.instructor_id == instructor_id else None

    def students(self, class_id: int) -> list[tables.Account]:
        with self.accounts._read() as session:
            return list(
                session.exec(
                    select(tables.Account)
                    .join(
                        tables.Membership,
                        col(tables.Membership.account_id) == tables.Account.id,
                    )
                    .where(tables.Membership.classroom_id == class_id)
                    .order_by(col(tables.Account.login))
                ).all()
            )

    def student(self, class_id: int, account_id: int) -> tables.Account | None:
        with self.accounts._read() as session:
            member = session.get(tables.Membership, (class_id, account_id))
            return session.get(tables.Account, account_id) if member else None

    def add_students(self, class_id: int, rows: list[RosterRow]) -> list[NewAccount]:
        """Accounts for every row, with generated first passwords, all or none: a row refused
        (or a login taken meanwhile) writes nothing."""
        if any(row.problems for row in rows):
            raise Refused(N_("The roster has problems: nothing was added."), "roster")
        # Hash before taking the write lock: 200 Argon2 hashes are seconds of CPU.
        made = [(row, generate_password()) for row in rows]
        hashes = [hash_password(password) for _, password in made]
        with self.accounts._write() as session:
            taken = set(
                session.exec(
                    select(tables.Account.login).where(
                        col(tables.Account.login).in_([row.login for row in rows])
                    )
                ).all()
            )
            if taken:
                for row in rows:
                    if row.login in taken:
                        row.problems.append(N_("This login is taken: choose another."))
                raise Refused(N_("The roster has problems: nothing was added."), "roster")
            created: list[NewAccount] = []
            for (row, password), hashed in zip(made, hashes, strict=True):
                account = tables.Account(
                    login=row.login,
                    display_name=row.display_name,
                    role="student",
                    password_hash=hashed,
                    must_change_password=True,
                )
                session.add(account)
                session.flush()
                assert account.id is not None
                session.add(tables.Membership(classroom_id=class_id, account_id=account.id))
                created.append(NewAccount(account.id, row.login, row.display_name, password))
            return created

    def add_student(self, class_id: int, login: str, display_name: str) -> NewAccount:
        login = check_login(login)
        row = RosterRow(0, login, check_display_name(display_name, login))
        try:
            return self.add_students(class_id, [row])[0]
        except Refused as refused:
            if row.problems:
                raise Refused(
                    N_("The login %(login)s is taken."), "login", login=row.login
                ) from refused
            raise

    def set_join_code(self, class_id: int, on: bool) -> str | None:
        """A new join code (the old one stops working), or none (joining turned off)."""
        code = "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_LENGTH)) if on else None
        with self.accounts._write() as session:
            session.execute(
                update(tables.Classroom)
                .where(col(tables.Classroom.id) == class_id)
                .values(join_code=code)
            )
        return code

    def by_join_code(self, code: str) -> tables.Classroom | None:
        code = normalize_join_code(code)
        if len(code) != JOIN_LENGTH:
            return None
        with self.accounts._read() as session:
            return session.exec(
                select(tables.Classroom).where(tables.Classroom.join_code == code)
            ).first()

    def join(self, code: str, login: str, display_name: str, password: str, confirm: str) -> int:
        """A student account of their own, in the class of ``code``; its id."""
        room = self.by_join_code(code)
        if room is None or room.id is None:
            raise Refused(
                N_(
                    "No class has this join code. Check it with your instructor "
                    "(it may have changed)."
                ),
                "code",
            )
        login = check_login(login)
        name = check_display_name(display_name, login)
        check_new_password(password, confirm, login)
        hashed = hash_password(password)
        with self.accounts._write() as session:
            if self.accounts._by_login(session, login) is not None:
                raise Refused(N_("The login %(login)s is taken."), "login", login=login)
            account = tables.Account(
                login=login, display_name=name, role="student", password_hash=hashed
            )
            session.add(account)
            session.flush()
            assert account.id is not None
            session.add(tables.Membership(classroom_id=room.id, account_id=account.id))
            return account.id
