from django.urls import path

from coalitions.views import clusters, coalitions, invitations, mail, members, organisations, two_factor

app_name = "coalitions"

urlpatterns = [
    path("coalitions/", coalitions.my_coalitions, name="mine"),
    path("coalitions/new/", coalitions.coalition_create, name="create"),
    path("coalitions/<int:pk>/", coalitions.coalition_home, name="home"),
    path("coalitions/<int:pk>/edit/", coalitions.coalition_edit, name="edit"),
    path("coalitions/<int:pk>/two-factor/", two_factor.coalition_two_factor, name="two_factor"),
    path("coalitions/<int:pk>/activity/", coalitions.activity, name="activity"),
    path("coalitions/<int:pk>/mail/", mail.sent_mail, name="mail"),
    path("coalitions/<int:pk>/members/", members.directory, name="directory"),
    path("coalitions/<int:pk>/members/organisations/", members.organisation_list, name="member_organisations"),
    path("coalitions/<int:pk>/members/<int:membership_pk>/role/", members.change_role, name="change_role"),
    path("coalitions/<int:pk>/members/<int:membership_pk>/remove/", members.remove_member, name="remove_member"),
    path(
        "coalitions/<int:pk>/organisations/<int:member_pk>/remove/",
        members.remove_organisation,
        name="remove_organisation",
    ),
    path("coalitions/<int:pk>/clusters/", clusters.cluster_list, name="clusters"),
    path("coalitions/<int:pk>/clusters/new/", clusters.cluster_create, name="cluster_create"),
    path("coalitions/<int:pk>/clusters/<int:cluster_pk>/edit/", clusters.cluster_edit, name="cluster_edit"),
    path("coalitions/<int:pk>/clusters/<int:cluster_pk>/delete/", clusters.cluster_delete, name="cluster_delete"),
    path("coalitions/<int:pk>/invitations/", invitations.invitation_list, name="invitations"),
    path("coalitions/<int:pk>/invitations/new/", invitations.invitation_create, name="invitation_create"),
    path(
        "coalitions/<int:pk>/invitations/<int:invitation_pk>/resend/",
        invitations.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "coalitions/<int:pk>/invitations/<int:invitation_pk>/revoke/",
        invitations.invitation_revoke,
        name="invitation_revoke",
    ),
    path("invitations/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
    path("organisations/<int:pk>/", organisations.organisation_profile, name="organisation"),
    path("organisations/<int:pk>/edit/", organisations.organisation_edit, name="organisation_edit"),
]
