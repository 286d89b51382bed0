"""Builds request.actor: the logged-in person, the organisation they act for (kept in the session) and roles."""

from django.utils.functional import SimpleLazyObject

from shuangchuang.core.actor import Actor
from shuangchuang.core.selectors import memberships_for_user

SESSION_KEY = "acting_organisation_id"


def actor_for_request(request) -> Actor:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return Actor.anonymous()
    memberships = list(memberships_for_user(user))
    if not memberships:
        return Actor(user=user)
    wanted = request.session.get(SESSION_KEY)
    organisation = next((m.organisation for m in memberships if m.organisation_id == wanted), None)
    if organisation is None:
        organisation = memberships[0].organisation
    roles = frozenset(m.role for m in memberships if m.organisation_id == organisation.pk)
    return Actor(user=user, organisation=organisation, roles=roles, memberships=tuple(memberships))


class ActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = SimpleLazyObject(lambda: actor_for_request(request))
        return self.get_response(request)
