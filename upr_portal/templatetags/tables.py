"""``{% rows_key ... as key %}``: upr_portal.tables.rows_digest of values a template has at hand, for a
``{% cache %}`` of a fragment that shows no more than those values (and the templates)."""

from django import template

from upr_portal.tables import rows_digest

register = template.Library()


@register.simple_tag
def rows_key(*values) -> str:
    return rows_digest(values)
