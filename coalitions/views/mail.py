from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from coalitions.views.coalitions import coalition_for
from notifications.selectors import outbox_for_coalition

PAGE_SIZE = 50


@login_required
@require_GET
def sent_mail(request, pk: int):
    """Every message the portal sent, or failed to send, on the coalition's behalf, newest first."""
    coalition = coalition_for(request, pk, "coalitions.view_mail")
    page = Paginator(outbox_for_coalition(coalition_id=coalition.pk), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "coalitions/mail.html", {"coalition": coalition, "page": page})
