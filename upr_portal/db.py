from django.db import connections, models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


def in_business_transaction(using: str = "default") -> bool:
    """True inside an ``atomic()`` block opened by the portal's code.

    The blocks a Django test case opens around each test are not counted (Django marks them
    ``_from_testcase``), so the same guard holds in tests and in production.
    """
    connection = connections[using]
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)
