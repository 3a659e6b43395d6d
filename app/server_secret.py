"""The server's secret key: signs the CSRF cookie and derives the tokens of the forms.

``VPCLAB_SECRET_KEY`` when it is set (every worker and replica of one lab must share it);
otherwise a random key generated at first start and kept in ``VPCLAB_SECRET_KEY_FILE``
(``./vpclab-secret.key`` beside the SQLite database by default), readable by its owner only.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from app.config import Settings


def server_secret(settings: Settings) -> bytes:
    """The configured key, or the key file's, creating that file the first time."""
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value().encode()
    path = Path(settings.secret_key_file)
    if not path.exists():
        _create(path)
    key = path.read_text().strip()
    if len(key) < 32:
        raise RuntimeError(f"{path} holds no usable secret key: delete it to generate a new one.")
    return key.encode()


def _create(path: Path) -> None:
    """Write a new key without ever exposing a half-written file: workers starting together
    link the same name, the first one wins and the others read its key."""
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(48) + "\n")
        with contextlib.suppress(FileExistsError):
            os.link(draft, path)
    finally:
        draft.unlink(missing_ok=True)
