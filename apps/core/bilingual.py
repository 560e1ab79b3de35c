"""Text kept in English and Japanese side by side (`title_en`, `title_ja`), read in the
reader's language."""

from django.utils.translation import get_language


class BilingualText:
    """`obj.text("title")` gives title_ja to a Japanese reader (when filled), else title_en."""

    def text(self, name: str) -> str:
        if (get_language() or "en").startswith("ja"):
            value = getattr(self, f"{name}_ja", "")
            if value:
                return value
        return getattr(self, f"{name}_en", "")


class Bilingual(BilingualText):
    """Events and sessions also answer `.title` in the reader's language."""

    @property
    def title(self) -> str:
        return self.text("title")
