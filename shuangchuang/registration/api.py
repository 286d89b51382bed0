"""The registration module's JSON API (mounted under /api/v1/ in shuangchuang/api.py)."""

from ninja import Router

router = Router(tags=["registration"])
