"""Error type shared by the allocation engine (messages are in Vietnamese)."""

from __future__ import annotations


class GameError(ValueError):
    """An invalid game.

    ``messages`` lists every problem found (one line each, Vietnamese, naming the target or team
    and the field); ``str(error)`` joins them with newlines.
    """

    def __init__(self, messages: list[str] | str) -> None:
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("\n".join(self.messages))
