"""How much a person may type or send in one field: enough for any real use, and a bound,
so that a field meant for a paragraph never stores megabytes (an event description of
2.4 MB was once accepted) and a number never overflows its column. Page forms and API
serializers use the same figures, so a page and its API accept the same input.

Short texts stored in a column of fixed width use the column's own max_length.
"""

# Free text a person writes: a reason, a comment, a note, an answer.
NOTE = 2_000
# Longer text: a description, a message, a guideline, conditions, a statement.
TEXT = 10_000
# A search box.
SEARCH = 200
# An address (URLField's own default).
URL = 200
# A list of ids in one request (a panel, sessions, recipients, lines of a run).
IDS = 1_000
# The largest primary key (BigAutoField): a larger id names no row.
ID_MAX = 2**63 - 1
# A count of people or seats (an event's capacity, a country's places).
PEOPLE = 100_000
# An amount of money in yen (a cost, a rate): far above any real one, within 32 bits.
YEN = 1_000_000_000
# A programme or fiscal year.
YEAR_MIN = 2000
YEAR_MAX = 2100
# People a promotion reached (a social media push reaches many).
AUDIENCE = 10_000_000
