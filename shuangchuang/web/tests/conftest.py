from shuangchuang.core.tests.conftest import (  # noqa: F401 — shared fixtures
    enterprise_a,
    login,
    officer_stic,
    platform_admin,
    rep_a,
    stic,
)
