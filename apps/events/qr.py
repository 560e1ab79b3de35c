"""The QR code of a registration, drawn on the server as SVG (no image service, no CDN).

It holds the address of the event's check-in page finding that registration, so the
organiser's phone opens it with the camera app, or the check-in page's own scanner reads
it; either way, only someone who may check people in gets past the page's access rule.
"""

import segno
from django.utils.safestring import SafeString, mark_safe


def registration_svg(url: str) -> SafeString:
    """An inline <svg> of `url`, a registration's check-in address (the page that shows
    it labels it for screen readers)."""
    code = segno.make_qr(url, error="m")
    svg = code.svg_inline(scale=5, border=2, dark="#000", light="#fff", omitsize=False)
    # segno writes the markup itself from a URL we built: nothing of the person's in it.
    return mark_safe(svg)  # noqa: S308
