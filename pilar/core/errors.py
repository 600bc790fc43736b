"""Errors that services raise for the pages and the API to show to the user."""


class DomainError(Exception):
    """A business rule refused the operation; the message is for the user (Bahasa Indonesia).

    ``field`` names the form field the message belongs to, when there is one, so that
    pages and the API can put it next to the input that caused it.
    """

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
