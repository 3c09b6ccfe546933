"""One page of an ordered list: the same numbers for every list, page and API alike.

Pages are numbered from 1; a page after the last is an error (`PageOutOfRange`:
a 404 on pages and in the API), while an empty list still has its one, empty,
first page. The API turns a page into its list response with
`lib.api.list_response`; the page templates read `number`, `num_pages`,
`total` and `items`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, overload

from django.db.models import QuerySet
from django.utils.translation import gettext

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 20


@dataclass
class Page(Generic[T]):
    items: list[T]
    number: int
    page_size: int
    total: int

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))


class PageOutOfRange(ValueError):
    """A page after the last. The message is English (the API's language);
    pages show `localized_message`."""

    def __init__(self, number: int, last: int):
        super().__init__(f"page {number} does not exist; the last page is {last}")
        self.number = number
        self.last = last

    @property
    def localized_message(self) -> str:
        return gettext("Seite %(number)s gibt es nicht; die letzte Seite ist %(last)s.") % {
            "number": self.number,
            "last": self.last,
        }


@overload
def paginate(
    ordered: QuerySet[Any, T],
    number: int | None = None,
    size: int | None = None,
    *,
    default_size: int = DEFAULT_PAGE_SIZE,
) -> Page[T]: ...


@overload
def paginate(
    ordered: Sequence[T],
    number: int | None = None,
    size: int | None = None,
    *,
    default_size: int = DEFAULT_PAGE_SIZE,
) -> Page[T]: ...


def paginate(
    ordered: QuerySet[Any, T] | Sequence[T],
    number: int | None = None,
    size: int | None = None,
    *,
    default_size: int = DEFAULT_PAGE_SIZE,
) -> Page[T]:
    """Page `number` (default 1) of `size` items (default `default_size`) of `ordered`.

    A queryset costs a count and the query of the page's rows (whatever it
    selects or prefetches is read for those rows only); a list is sliced.
    """
    size = size or default_size
    number = number or 1
    total = ordered.count() if isinstance(ordered, QuerySet) else len(ordered)
    last = max(1, math.ceil(total / size))
    if number > last:
        raise PageOutOfRange(number, last)
    return Page(list(ordered[(number - 1) * size : number * size]), number, size, total)
