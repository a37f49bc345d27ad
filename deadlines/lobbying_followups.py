"""The follow-up dates of the lobbying log (advocacy.Meeting) as deadlines.

A meeting with a follow-up date is a deadline for its author and the coalition's coordinators, reminded
daily once passed until someone ticks "follow-up done". Its key names the meeting, not the date, so a
moved follow-up updates the calendar entry and the reminder claims instead of adding one.

Reads in two queries whatever the number of meetings: the meetings, and the coordinators.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from advocacy.models import Meeting
from coalitions.models import Membership, Role
from deadlines.providers import Deadline
from reviews.state_names import name_fields
from upr_portal.tables import reverse_each


class LobbyingFollowUpProvider:
    """Follow-ups promised at meetings with embassies and missions."""

    name = "lobbying_followups"
    label = _("The follow-ups of meetings you logged in the lobbying log")
    mutable = True

    def deadlines(self, *, coalition_ids=None, start=None, end=None) -> list[Deadline]:
        meetings = Meeting.objects.filter(follow_up_on__isnull=False)
        if start is not None:
            meetings = meetings.filter(follow_up_on__gte=start)
        if end is not None:
            meetings = meetings.filter(follow_up_on__lte=end)
        if coalition_ids is not None:
            meetings = meetings.filter(coalition_id__in=list(coalition_ids))
        meetings = list(
            meetings.select_related(
                "coalition", "state", "review__state", "review__session", "review__rescheduled_from"
            )
            .only(
                *("coalition__name", *name_fields("state__"), "held_on", "follow_up_on", "follow_up_done"),
                "updated_at",
                *("created_by_id", "review__status", "review__updated_at", *name_fields("review__state__")),
                *("review__session__number", "review__session__dates_provisional", "review__rescheduled_from__number"),
            )
            .order_by("follow_up_on", "pk")
        )
        if not meetings:
            return []
        coordinators: dict[int, set[int]] = defaultdict(set)
        for coalition_id, user_id in Membership.objects.filter(
            coalition_id__in={m.coalition_id for m in meetings}, is_active=True, role=Role.COORDINATOR
        ).values_list("coalition_id", "user_id"):
            coordinators[coalition_id].add(user_id)
        urls = {}
        result = []
        for meeting in meetings:
            if meeting.coalition_id not in urls:
                urls[meeting.coalition_id] = reverse_each("advocacy:meeting_edit", meeting.coalition_id)
            audience = set(coordinators[meeting.coalition_id])
            if meeting.created_by_id is not None:
                audience.add(meeting.created_by_id)
            result.append(
                Deadline(
                    key=f"meeting-{meeting.pk}-follow_up",
                    provider=self.name,
                    label=format_lazy(
                        _("Follow up the meeting with {state} of {date}"),
                        # Named when the label is shown, in that page's or email's language.
                        state=lazy(lambda state=meeting.state: state.local_name, str)(),
                        date=meeting.held_on.isoformat(),
                    ),
                    when=meeting.follow_up_on,
                    coalition=meeting.coalition,
                    url=urls[meeting.coalition_id](meeting.pk),
                    review=meeting.review,
                    mutable=True,
                    remind_overdue=True,
                    audience=frozenset(audience) or None,
                    done=meeting.follow_up_done,
                    changed_at=meeting.updated_at,
                )
            )
        return result
