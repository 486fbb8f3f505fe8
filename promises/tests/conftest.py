"""The browser fixtures (`browser`, `new_page`, `page`) live in the root conftest.py, shared
with the accessibility gate; the viewports are re-exported for the browser journeys."""

from conftest import DESKTOP, PHONE, SCREENSHOTS_DIR  # noqa: F401
