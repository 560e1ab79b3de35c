from rest_framework import pagination


class CursorPagination(pagination.CursorPagination):
    """For lists that grow large: no COUNT(*), stable under inserts."""

    ordering = ("-id",)
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"


class CountedPagination(pagination.PageNumberPagination):
    """For short lists where a count is cheap."""

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
