"""Typed readers for environment variables.

Every setting of the portal comes from the environment. A malformed value stops start-up with a
message that names the variable, rather than running with a silently wrong configuration.
"""

import os
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


class EnvReader:
    def __init__(self, environ: Mapping[str, str] | None = None):
        self.environ = os.environ if environ is None else environ

    def string(self, name: str, default: str | None = None, *, required: bool = False) -> str | None:
        value = self.environ.get(name)
        if value is None or value == "":
            if required:
                raise ImproperlyConfigured(f"The environment variable {name} must be set.")
            return default
        return value

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self.environ.get(name)
        if value is None:
            return default
        lowered = value.strip().lower()
        if lowered in TRUE_VALUES:
            return True
        if lowered in FALSE_VALUES:
            return False
        raise ImproperlyConfigured(
            f"The environment variable {name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}."
        )

    def integer(self, name: str, default: int, *, minimum: int | None = None) -> int:
        value = self.environ.get(name)
        if value is None or value.strip() == "":
            return default
        try:
            number = int(value)
        except ValueError:
            raise ImproperlyConfigured(
                f"The environment variable {name} must be a whole number; got {value!r}."
            ) from None
        if minimum is not None and number < minimum:
            raise ImproperlyConfigured(f"The environment variable {name} must be at least {minimum}; got {number}.")
        return number

    def strings(self, name: str, default: list[str] | None = None) -> list[str]:
        value = self.environ.get(name)
        if value is None or value.strip() == "":
            return list(default or [])
        return [item.strip() for item in value.split(",") if item.strip()]

    def url(self, name: str, schemes: tuple[str, ...], default: str | None = None) -> str | None:
        value = self.string(name, default)
        if value is None:
            return None
        scheme, sep, rest = value.partition("://")
        if not sep or scheme not in schemes or not rest:
            allowed = ", ".join(f"{s}://" for s in schemes)
            raise ImproperlyConfigured(
                f"The environment variable {name} must be a URL starting with {allowed}; got {value!r}."
            )
        return value
