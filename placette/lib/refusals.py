"""« The rule refuses this »: the one exception every service raises when a rule says no.

Pure Python (no Django import) so that the pure arithmetic modules (membership/ledger.py,
governance/tally.py, places/indexation.py) raise it too. Views turn it into a form error or a
message with :func:`placette.lib.views.refusal_show`; nothing was changed when it is raised.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["Refusal", "constraint_message"]


class Refusal(Exception):
    """A change refused by a rule. ``messages`` are French sentences meant for the user (one
    per broken rule); ``field`` names the form field they concern, when there is one (the view
    puts the error next to it); ``code`` is a stable identifier for tests and the API."""

    def __init__(
        self,
        message: str | Iterable[str],
        *,
        field: str | None = None,
        code: str | None = None,
    ) -> None:
        if isinstance(message, Iterable) and not hasattr(message, "casefold"):
            self.messages: list[str] = [str(m) for m in message]
        else:
            # one sentence: a str, or a lazy translation (it has str's methods and is iterable
            # like one, but iterating it would give its letters)
            self.messages = [str(message)]
        self.field = field
        self.code = code
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """Every sentence, in one line."""
        return " ".join(self.messages)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"Refusal({self.messages!r}, field={self.field!r}, code={self.code!r})"


def constraint_message(model: type, name: str) -> str:
    """The French `violation_error_message` of the database constraint `name` of `model`, so
    that a form's ``clean()`` says exactly what the constraint would (and says it on a field)."""
    for constraint in model._meta.constraints:  # type: ignore[attr-defined]
        if constraint.name == name:
            return str(constraint.violation_error_message)
    raise LookupError(f"{model.__name__} has no constraint {name!r}")
