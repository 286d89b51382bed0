"""Helpers of the registration pages."""

from __future__ import annotations

from django.shortcuts import render



def forbidden(request, message: str):
    return render(request, "registration/forbidden.html", {"message": message}, status=403)


def not_found(request):
    return render(request, "registration/forbidden.html", {"message": ""}, status=404)
