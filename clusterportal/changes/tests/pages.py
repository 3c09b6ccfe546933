"""Helpers of the page tests: the edit form's fields as a browser would send them."""

from __future__ import annotations

import html as html_module
import re

from clusterportal.changes import profile_fields
from clusterportal.changes.forms import snapshot, starting_point


def text(html: str) -> str:
    """The page's visible words, tags removed and whitespace collapsed."""
    return re.sub(r"\s+", " ", html_module.unescape(re.sub(r"<[^>]+>", " ", html)))


def form_data(initiative, **changes) -> dict:
    """What the edit page posts for `initiative` unchanged, with `changes` on top."""
    start, token, _request = starting_point(initiative)
    data = {"edit_token": token, "started": snapshot(start), "note": ""}
    for name in profile_fields.COLUMNS:
        value = start[name]
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else str(value)
    data["management_organisation"] = start["management_organisation"] or ""
    data["technology_fields"] = list(start["technology_fields"])
    rows = start["partnerships"]
    data["partnerships-TOTAL_FORMS"] = str(len(rows) + 3)
    data["partnerships-INITIAL_FORMS"] = str(len(rows))
    data["partnerships-MIN_NUM_FORMS"] = "0"
    data["partnerships-MAX_NUM_FORMS"] = "100"
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"partnerships-{index}-{key}"] = value
    for key, value in changes.items():
        if value is False:
            data.pop(key, None)
        else:
            data[key] = value
    return data
