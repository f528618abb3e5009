"""Parts of a platform's pages that apps above platforms own (resources: the resources
a platform uses and creates). An app registers a provider; the page renders each
section's template with its context. So platforms shows them without importing the
apps that make them. Each provider takes a fixed number of queries."""

from collections.abc import Callable
from dataclasses import dataclass, field

from .models import Platform

# The pages that have sections: the platform's page and its closing evaluation.
DETAIL = "detail"
EVALUATION = "evaluation"


@dataclass(frozen=True)
class Section:
    template: str
    context: dict = field(default_factory=dict)


Provider = Callable[..., Section | None]
_PROVIDERS: list[tuple[str, Provider]] = []


def register(page: str, provider: Provider) -> Provider:
    _PROVIDERS.append((page, provider))
    return provider


def sections_for(page: str, *, user, platform: Platform, role) -> list[Section]:
    """The sections of `page` this reader sees, in registration order."""
    found = (
        provider(user=user, platform=platform, role=role)
        for name, provider in _PROVIDERS
        if name == page
    )
    return [section for section in found if section is not None]
