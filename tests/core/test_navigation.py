"""The menu of each demo account, read from the page as a person reads it: the links of the
main navigation and of the header, by their visible label (issue 18, point 5)."""

from html.parser import HTMLParser

import pytest

# username -> nav keys the account's menu must hold (among others)
EXPECTED = {
    "clair": {"workspace", "placement-board", "placement-runs", "counselling"},
    "clair.manager": {"workspace", "placement-board", "audit"},
    "clair.counsellor": {"workspace", "counselling"},
    "mofa": {"workspace", "organisations", "statistics"},
    # The embassy's core work, the applications, is one click away on every page.
    "embassy.us": {"workspace", "mission-applications", "mission-placements"},
    "embassy.uk": {"workspace", "mission-applications", "mission-placements"},
    "mic": {"workspace", "organisations", "costs"},
    "mext": {"workspace", "my-organisation", "library"},
    "co.hyogo": {"workspace", "placements", "contracting-reappointment"},
    "co.sapporo": {"workspace", "placements", "contracting-reappointment"},
    # The prefectural advisor reaches the support summaries shared with them.
    "co.hyogo.advisor": {"workspace", "placements", "shared-summaries"},
    "applicant": {"workspace", "schedule"},
    "participant": {"workspace", "my-placement", "support", "my-safety"},
}


class Links(HTMLParser):
    """The links inside <nav class="site-nav"> and <header class="site-header">:
    (region, data-nav key, label, href)."""

    def __init__(self):
        super().__init__()
        self.region: str | None = None
        self.depth = 0
        self.link: dict | None = None
        self.links: list[tuple[str, str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if self.region is None and (
            (tag == "nav" and "site-nav" in classes)
            or (tag == "header" and "site-header" in classes)
        ):
            self.region, self.depth = tag, 0
        if self.region is not None and tag == self.region:
            self.depth += 1
        if self.region is not None and tag == "a":
            self.link = {"key": attrs.get("data-nav", ""), "href": attrs["href"], "text": ""}

    def handle_data(self, data):
        if self.link is not None:
            self.link["text"] += data

    def handle_endtag(self, tag):
        if self.link is not None and tag == "a":
            label = " ".join(self.link["text"].split())
            self.links.append((self.region, self.link["key"], label, self.link["href"]))
            self.link = None
        if self.region is not None and tag == self.region:
            self.depth -= 1
            if self.depth == 0:
                self.region = None


def menu_links(html: str) -> list[tuple[str, str, str, str]]:
    parser = Links()
    parser.feed(html)
    return parser.links


@pytest.mark.parametrize("username", EXPECTED)
def test_menu_has_each_label_once_and_the_accounts_core_work(client_as, username):
    response = client_as(username).get("/", follow=True)
    links = menu_links(response.content.decode())
    nav = [(key, label, href) for region, key, label, href in links if region == "nav"]

    labels = [label for _key, label, _href in nav]
    assert len(labels) == len(set(labels)), labels
    assert EXPECTED[username] <= {key for key, _label, _href in nav}
    # The inbox once, in the header with its unread count; not again in the menu.
    assert [href for _region, _key, label, href in links if label.startswith("Inbox")] == [
        "/inbox/"
    ]


def test_embassy_menu_opens_its_applications(client_as):
    client = client_as("embassy.us")
    links = menu_links(client.get("/mofa/mission/").content.decode())
    href = next(href for _r, key, _l, href in links if key == "mission-applications")
    assert href == "/mofa/mission/applications/"
    assert client.get(href).status_code == 200


def test_advisor_menu_opens_the_summaries_shared_with_them(client_as):
    client = client_as("co.hyogo.advisor")
    links = menu_links(client.get("/contracting/").content.decode())
    href = next(href for _r, key, _l, href in links if key == "shared-summaries")
    page = client.get(href)
    assert page.status_code == 200
    assert 'data-testid="shared-cases"' in page.content.decode()


def test_other_contracting_staff_have_no_summaries_link(client_as):
    links = menu_links(client_as("co.hyogo").get("/contracting/").content.decode())
    assert "shared-summaries" not in {key for _r, key, _l, _h in links}
