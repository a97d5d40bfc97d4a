"""Normalisation used by search and duplicate detection (no accents, lower case, single spaces)."""

import re

from unidecode import unidecode

_SPACES = re.compile(r"[^a-z0-9@.+_-]+")


def normalize(value: str) -> str:
    return _SPACES.sub(" ", unidecode(value or "").lower()).strip()


def normalize_email(value: str) -> str:
    return (value or "").strip().lower()
