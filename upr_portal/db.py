from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, models
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


class FieldCheckConstraint(models.CheckConstraint):
    """A database check constraint whose violation, found by model validation, is reported on one field.

    Django reports a check constraint as an error of the whole form, above it; an admin fixing a date
    wants the message next to the date. ``field`` names the field the message belongs to; it must be
    one the condition reads, so that a form without that field skips the check (as Django does for a
    constraint on a field the form leaves out) rather than failing on an error it cannot show.
    """

    non_db_attrs = (*models.CheckConstraint.non_db_attrs, "field")

    def __init__(self, *, field: str, **kwargs):
        self.field = field
        super().__init__(**kwargs)

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        try:
            super().validate(model, instance, exclude=exclude, using=using)
        except ValidationError as error:
            raise ValidationError({self.field: error.error_list}) from None

    def __eq__(self, other):
        if isinstance(other, FieldCheckConstraint):
            return super().__eq__(other) and self.field == other.field
        return super().__eq__(other)

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        kwargs["field"] = self.field
        return path, args, kwargs
