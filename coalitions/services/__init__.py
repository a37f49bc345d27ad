from coalitions.services.coalitions import (
    audit,
    cluster_create,
    cluster_delete,
    cluster_update,
    coalition_create,
    coalition_organisation_remove,
    coalition_update,
    membership_change_role,
    membership_remove,
    organisation_create,
)
from coalitions.services.invitations import (
    invitation_accept,
    invitation_accept_as_new_user,
    invitation_create,
    invitation_from_token,
    invitation_resend,
    invitation_revoke,
)

__all__ = [
    "audit",
    "cluster_create",
    "cluster_delete",
    "cluster_update",
    "coalition_create",
    "coalition_organisation_remove",
    "coalition_update",
    "invitation_accept",
    "invitation_accept_as_new_user",
    "invitation_create",
    "invitation_from_token",
    "invitation_resend",
    "invitation_revoke",
    "membership_change_role",
    "membership_remove",
    "organisation_create",
]
