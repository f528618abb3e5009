"""What boards do when something changes elsewhere: a person's name is part of the
cached payload of every card they are on (tasks.services keeps one per card, so a
move costs no query for it); when their name may have changed, those caches go."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from members.models import User

from .services import forget_payloads_naming

# Fields a person's shown name is made of (User.name).
NAME_FIELDS = frozenset({"display_name"})


@receiver(post_save, sender=User, dispatch_uid="tasks.forget_payloads_on_rename")
def forget_payloads_on_rename(sender, instance, created, update_fields=None, **kwargs) -> None:
    if created or (update_fields is not None and not NAME_FIELDS & set(update_fields)):
        return
    forget_payloads_naming(instance.pk)
