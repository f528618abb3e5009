"""The server's VAPID key pair, which signs every push (RFC 8292).

WEBPUSH_VAPID_PRIVATE_KEY holds it in production (base64url, raw or DER, as
`vapid --gen` writes it). Without it, a key pair is made once and kept in
WEBPUSH_VAPID_KEY_FILE so local runs work and browsers' subscriptions survive a
restart: a new key would invalidate every subscription.
"""

import base64
import functools
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from py_vapid import Vapid


@functools.cache
def vapid() -> Vapid:
    if settings.WEBPUSH_VAPID_PRIVATE_KEY:
        return Vapid.from_string(settings.WEBPUSH_VAPID_PRIVATE_KEY)
    path = Path(settings.WEBPUSH_VAPID_KEY_FILE)
    if path.exists():
        return Vapid.from_file(str(path))
    key = Vapid()
    key.generate_keys()
    path.parent.mkdir(parents=True, exist_ok=True)
    key.save_key(str(path))
    path.chmod(0o600)
    return key


def application_server_key() -> str:
    """The public key as the browser's pushManager.subscribe() wants it."""
    raw = vapid().public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
