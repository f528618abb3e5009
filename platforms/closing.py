"""What apps above platforms check and do when a platform is archived (resources: a
created resource that continues needs a steward, and becomes an active directory
entry). The lifecycle service calls these inside the archiving transaction, so an
archive either does all of it or none of it; platforms imports none of those apps."""

from collections.abc import Callable
from dataclasses import dataclass

from .models import Platform


@dataclass(frozen=True)
class ClosingStep:
    # What stops archiving: one sentence per problem, shown to the coordinator.
    problems: Callable[[Platform], list[str]]
    # What archiving does: (platform, actor), inside the same transaction.
    archive: Callable[..., None]


_STEPS: list[ClosingStep] = []


def register(step: ClosingStep) -> ClosingStep:
    _STEPS.append(step)
    return step


def problems_before_archive(platform: Platform) -> list[str]:
    return [problem for step in _STEPS for problem in step.problems(platform)]


def run_archive_steps(platform: Platform, actor) -> None:
    for step in _STEPS:
        step.archive(platform, actor)
