"""Whether a coalition requires two-factor sign-in of its members."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from coalitions.models import AuditEvent, Coalition
from coalitions.services.coalitions import audit


@transaction.atomic
def coalition_two_factor_set(*, coalition: Coalition, actor: User, required: bool) -> Coalition:
    """Turns the requirement on or off, and records who did it. Atomic.

    Nothing else happens at once: members without two-factor sign-in are asked to set it up the next
    time they open one of the coalition's pages (coalitions/access.py), the coordinator included, so
    nobody is locked out and setting it up stays each person's own step.
    """
    if coalition.require_two_factor == required:
        return coalition
    coalition.require_two_factor = required
    coalition.save(update_fields=["require_two_factor", "updated_at"])
    audit(
        coalition=coalition,
        actor=actor,
        action=AuditEvent.Action.COALITION_CHANGED,
        subject=coalition.name,
        fields=["require_two_factor"],
        require_two_factor=required,
    )
    return coalition
