"""Which client a generated CLI runs: kept apart so the CLI's start imports nothing more."""

from __future__ import annotations


class ClientTarget:
    """The generated client class (`client`, "module:Class"), or, for a CLI generated without
    one, the runtime's own client, checking inputs with `input_model`."""

    __slots__ = ("client", "input_model")

    def __init__(self, client: str | None, input_model: str | None) -> None:
        self.client = client
        self.input_model = input_model
