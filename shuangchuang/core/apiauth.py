"""Bearer-token authentication for the API."""

from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from shuangchuang.core.actor import Actor
from shuangchuang.core.selectors import roles_for
from shuangchuang.core.services import api_token_authenticate


class TokenAuth(HttpBearer):
    """Authorization: Bearer sc_…; the token's person becomes request.user."""

    def authenticate(self, request, token):
        api_token = api_token_authenticate(token)
        if api_token is None:
            return None
        request.api_token = api_token
        request.user = api_token.user
        return api_token


def api_actor(request, *, required: bool = False, session: bool = False) -> Actor:
    """The actor of an API call: the bearer token's person acting for the token's organisation. Without a token:
    the session's actor where `session` (pages calling the API), else anonymous — or 401 where `required`.
    A token that is sent but not valid is refused (401), never taken as anonymous."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header:
        if session and getattr(request, "actor", None) is not None:
            return request.actor
        if required:
            raise AuthenticationError()
        return Actor.anonymous()
    scheme, _sep, raw_key = header.partition(" ")
    token = api_token_authenticate(raw_key.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        raise AuthenticationError()
    if token.organisation_id is None:
        return Actor(user=token.user)
    return Actor(user=token.user, organisation=token.organisation, roles=roles_for(token.user, token.organisation))
