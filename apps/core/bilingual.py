"""Text kept in English and Japanese side by side (`title_en`, `title_ja`), read in the
reader's language."""

from django.utils.translation import get_language

from apps.core.reads import reads
from apps.core.reference_data import COUNTRIES

COUNTRY_NAMES = {code: (en, ja) for code, en, ja in COUNTRIES}


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
    @reads("title_en", "title_ja", per_value=True)
    def title(self) -> str:
        return self.text("title")


def country_name(code: str) -> str:
    """A participating country's name from its ISO code ("FR"), in the reader's language;
    any other text as it is."""
    names = COUNTRY_NAMES.get((code or "").strip())
    if names is None:
        return code
    return names[1] if (get_language() or "en").startswith("ja") else names[0]
