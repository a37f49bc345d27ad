from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


def _sqlite_name_collation(sender, connection, **kwargs):
    """SQLite's collation for names (reviews.models.NAME_COLLATIONS): accents and case set aside."""
    if connection.vendor != "sqlite":
        return
    from reviews.state_names import name_sort_key

    def compare(left: str, right: str) -> int:
        left_key, right_key = name_sort_key(left), name_sort_key(right)
        return (left_key > right_key) - (left_key < right_key) or (left > right) - (left < right)

    connection.connection.create_collation("upr_names", compare)


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("UPR calendar")

    def ready(self):
        connection_created.connect(_sqlite_name_collation, dispatch_uid="reviews.sqlite_name_collation")
