"""What a logged-in user sees stays out of shared and browser caches."""

from django.utils.cache import patch_cache_control


class PrivateNoStoreMiddleware:
    """Pages, fragments and exports for a logged-in user carry `Cache-Control: private,
    no-store` (a proxy or the browser's disk must not keep records or contacts), unless the
    view chose its own Cache-Control."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if "Cache-Control" not in response and user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
