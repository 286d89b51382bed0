"""The names module's JSON API, mounted under /api/v1/registration (shuangchuang/api.py)."""

from ninja import Router

router = Router(tags=["registration"])
