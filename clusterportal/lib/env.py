"""Typed readers for settings that come from the environment.

Every setting is read once, in settings.py, through these helpers. A value that
cannot be parsed stops the start-up with a message naming the variable: a typo
in production must not silently fall back to a default.
"""

from __future__ import annotations

import os


class ImproperSetting(ValueError):
    """An environment variable holds a value the setting cannot take."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperSetting(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no)")


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperSetting(f"{name}={raw!r} is not a whole number") from None
    if minimum is not None and value < minimum:
        raise ImproperSetting(f"{name}={value} is below the minimum {minimum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: dict[str, str]) -> str:
    """One of a few named values, mapped to what the setting takes (e.g. a dotted path)."""
    raw = os.environ.get(name)
    if raw is None:
        return choices[default]
    value = raw.strip().lower()
    if value not in choices:
        allowed = ", ".join(sorted(choices))
        raise ImproperSetting(f"{name}={raw!r} is not one of: {allowed}")
    return choices[value]


def env_url(name: str, default: str, schemes: tuple[str, ...]) -> str:
    """A URL with one of the given schemes, or the default (which may be empty)."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    value = raw.strip()
    scheme = value.split("://", 1)[0].lower() if "://" in value else ""
    if scheme not in schemes:
        raise ImproperSetting(
            f"{name}={raw!r} must start with {' or '.join(s + '://' for s in schemes)}"
        )
    return value
