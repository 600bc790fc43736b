from tests.api.conftest import api_as  # noqa: F401  (the API client helper, for test_api.py)
from tests.browser.conftest import chromium, new_page  # noqa: F401  (Playwright, for test_browser.py)
