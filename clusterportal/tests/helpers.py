"""Assertions shared by the API tests."""

from __future__ import annotations

import json


def error_of(response, status: int, code: str) -> dict:
    """The error object of an answer in the API's one error shape."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = json.loads(response.content)
    assert list(body) == ["error"]
    error = body["error"]
    assert set(error) == {"status", "code", "message", "fields"}
    assert error["status"] == status
    assert error["code"] == code
    assert error["message"]
    return error


def field_errors(response, *fields: str) -> dict[str, list[str]]:
    """The reasons of a 400 that names exactly these query parameters."""
    error = error_of(response, 400, "invalid_parameters")
    assert sorted(error["fields"]) == sorted(fields)
    return error["fields"]
