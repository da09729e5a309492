"""Fixtures shared with the export tests."""

from tests.exports.conftest import demo_store as demo_store  # noqa: F401
