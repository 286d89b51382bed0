"""Settings for the test suite: the normal settings with the "test" profile."""

import os

os.environ["SHUANGCHUANG_ENV"] = "test"

from shuangchuang.settings import *  # noqa: E402,F403

import tempfile  # noqa: E402

STATIC_ROOT = Path(tempfile.mkdtemp(prefix="sc-static-"))  # noqa: F405
