"""Passwords: Argon2id hashes (argon2-cffi), and the first passwords an instructor hands out.

Argon2id is the password hash the OWASP Password Storage Cheat Sheet recommends first; its
parameters here are that sheet's minimum (m=19 MiB, t=2, p=1): a class of 200 signing in at
nine o'clock costs a small server a few CPU-seconds, and at most ``MAX_PARALLEL_HASHES`` hashes
hold their memory at once, whatever the number of requests waiting.
https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#argon2id
"""

from __future__ import annotations

import secrets
import threading
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
MAX_PARALLEL_HASHES = 4
_hashing = threading.BoundedSemaphore(MAX_PARALLEL_HASHES)

MIN_LENGTH = 8
MAX_LENGTH = 256  # a bound on the work one request may ask of the hasher

# Generated first passwords are read off paper and typed by a learner: no 0/O, 1/l/I.
ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
GENERATED_LENGTH = 12  # 60 bits: far beyond what the login rate limit lets anyone try


def hash_password(password: str) -> str:
    with _hashing:
        return HASHER.hash(password)


@cache
def _dummy_hash() -> str:
    """Verified against when the login is unknown, so that an unknown login and a wrong
    password take the same time (no account enumeration by timing). Made at first use: a
    personal-mode server never pays for it."""
    return HASHER.hash(secrets.token_urlsafe(16))


def verify_password(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored`` (None: an account that cannot sign in; the work
    done is the same, so the answer's timing says nothing)."""
    with _hashing:
        try:
            return HASHER.verify(stored or _dummy_hash(), password) and stored is not None
        except (VerificationError, InvalidHashError):
            return False


def needs_rehash(stored: str) -> bool:
    return HASHER.check_needs_rehash(stored)


def generate_password() -> str:
    """A first password to print on a roster: 12 letters and digits in groups of four."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(GENERATED_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, GENERATED_LENGTH, 4))
