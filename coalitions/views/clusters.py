from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coalitions import selectors, services
from coalitions.access import get_visible_or_404, require
from coalitions.forms import ClusterForm
from coalitions.models import Cluster
from coalitions.rules import can
from coalitions.views.coalitions import coalition_for


@login_required
@require_GET
def cluster_list(request, pk: int):
    coalition = coalition_for(request, pk)
    clusters = selectors.clusters_of(coalition=coalition)
    return render(
        request,
        "coalitions/clusters.html",
        {
            "coalition": coalition,
            "clusters": [(c, can(request.user, "coalitions.change_cluster", c)) for c in clusters],
            "can_add": can(request.user, "coalitions.add_cluster", coalition),
            "can_delete": can(request.user, "coalitions.delete_cluster", coalition),
        },
    )


def _fields(form: ClusterForm) -> dict:
    return {name: form.cleaned_data[name] for name in ("name", "lead_organisation", "description")}


@login_required
@require_http_methods(["GET", "POST"])
def cluster_create(request, pk: int):
    coalition = coalition_for(request, pk, "coalitions.add_cluster")
    form = ClusterForm(request.POST or None, coalition=coalition, initial={"name": request.GET.get("name", "")})
    if request.method == "POST" and form.is_valid():
        cluster = services.cluster_create(
            coalition=coalition, actor=request.user, organisations=form.cleaned_data["organisations"], **_fields(form)
        )
        messages.success(request, _("The cluster %(name)s is created.") % {"name": cluster.name})
        return redirect("coalitions:clusters", pk=pk)
    return render(request, "coalitions/cluster_form.html", {"coalition": coalition, "form": form})


def _cluster(request, pk: int, cluster_pk: int, rule: str) -> Cluster:
    coalition = coalition_for(request, pk)
    cluster = get_visible_or_404(
        request.user, "coalitions.view_cluster", Cluster.objects.filter(coalition=coalition), pk=cluster_pk
    )
    require(request.user, rule, cluster)
    return cluster


@login_required
@require_http_methods(["GET", "POST"])
def cluster_edit(request, pk: int, cluster_pk: int):
    cluster = _cluster(request, pk, cluster_pk, "coalitions.change_cluster")
    form = ClusterForm(request.POST or None, instance=cluster, coalition=cluster.coalition)
    if request.method == "POST" and form.is_valid():
        fields = _fields(form)
        cluster.refresh_from_db()
        services.cluster_update(
            cluster=cluster, actor=request.user, organisations=form.cleaned_data["organisations"], **fields
        )
        messages.success(request, _("The cluster %(name)s is saved.") % {"name": cluster.name})
        return redirect("coalitions:clusters", pk=pk)
    return render(
        request, "coalitions/cluster_form.html", {"coalition": cluster.coalition, "form": form, "cluster": cluster}
    )


@login_required
@require_http_methods(["GET", "POST"])
def cluster_delete(request, pk: int, cluster_pk: int):
    cluster = _cluster(request, pk, cluster_pk, "coalitions.delete_cluster")
    if request.method == "POST":
        services.cluster_delete(cluster=cluster, actor=request.user)
        messages.success(request, _("The cluster %(name)s is deleted.") % {"name": cluster.name})
        return redirect("coalitions:clusters", pk=pk)
    return render(
        request,
        "confirm.html",
        {
            "coalition": cluster.coalition,
            "title": _("Delete the cluster %(name)s?") % {"name": cluster.name},
            "explanation": _("Its organisations stay in the coalition; only the grouping is deleted."),
            "confirm_label": _("Delete"),
            "cancel_url": reverse("coalitions:clusters", args=[pk]),
        },
    )
