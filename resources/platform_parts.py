"""What resources adds to platforms without platforms importing it: the section of a
platform's page listing the resources it uses, is funded by and creates; the part of
the closing evaluation that settles each created resource; and the archive step that
makes the ones that continue active (platforms.sections, platforms.closing)."""

from platforms import closing, sections
from platforms.permissions import can_write_evaluation, is_coordinator, is_member

from . import selectors, services
from .forms import PlanForm
from .models import PlatformResource, Status
from .permissions import can_draft_for_platform


def platform_section(*, user, platform, role):
    links = selectors.platform_links(platform)
    created = selectors.created_resources(platform)
    member = is_member(role) or (user.is_authenticated and user.is_staff)
    if not member:
        # Visitors see what is public: resources in the directory, not drafts.
        created = [resource for resource in created if resource.status != Status.DRAFT]
        if not links and not created:
            return None
    coordinator = is_coordinator(role) and not platform.is_read_only
    return sections.Section(
        template="resources/_platform_section.html",
        context={
            "platform": platform,
            "funding": [link for link in links if link.use == PlatformResource.Use.FUNDS],
            "uses": [link for link in links if link.use == PlatformResource.Use.USES],
            "created": created,
            "can_unlink": coordinator,
            "can_find": coordinator,
            "can_draft": can_draft_for_platform(role, platform),
        },
    )


def evaluation_section(*, user, platform, role):
    created = [r for r in selectors.created_resources(platform) if r.status == Status.DRAFT]
    if not created:
        return None
    people, organisations = selectors.steward_choices(platform)
    return sections.Section(
        template="resources/_closing_section.html",
        context={
            "platform": platform,
            "can_plan": can_write_evaluation(role, platform),
            "plans": [
                (
                    resource,
                    PlanForm(
                        people=people,
                        organisations=organisations,
                        resource=resource,
                        prefix=f"r{resource.pk}",
                    ),
                    # Who keeps it current: the person, else the organisation.
                    resource.steward.name
                    if resource.steward
                    else resource.steward_organisation.name
                    if resource.steward_organisation
                    else "",
                )
                for resource in created
            ],
        },
    )


sections.register(sections.DETAIL, platform_section)
sections.register(sections.EVALUATION, evaluation_section)
closing.register(
    closing.ClosingStep(
        problems=services.created_resources_problems,
        archive=services.created_resources_archive,
    )
)
