"""Suite-wide fixtures."""

import pytest


@pytest.fixture(autouse=True)
def reference_data_after_flush(request):
    """Tests on a live server (transactional) flush every table afterwards, reference data included; reload the
    data that migrations load, so each browser test starts from what a migrated database holds."""
    if request.node.get_closest_marker("browser") is None:
        yield
        return
    request.getfixturevalue("transactional_db")
    from shuangchuang.core.reference import load_departments
    from shuangchuang.credit.reference import load_lists
    from shuangchuang.registry.reference import load_reference_data, reference_cache_clear

    load_departments()
    load_reference_data()
    load_lists()
    reference_cache_clear()
    yield
