class DomainError(Exception):
    """A rule of the programme refused an action. Its message is shown as it is, on a
    page and in the API, so it must already be translated."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
