"""Bearer-token authentication for the API."""

from ninja.security import HttpBearer

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
