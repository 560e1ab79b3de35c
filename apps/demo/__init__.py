"""The demo world: every actor's part of one programme year, told on any day of the year
(calendar.py), loaded in the order of the yearly path by `manage.py seed_demo`."""
