from django.utils.functional import SimpleLazyObject

from peer.selectors.access import peer_home


def peer_house(request):
    """``peer_house``: the peer-run house the signed-in member lives in (or None), read only when a page asks (the
    portal's menu, for its House business link)."""
    viewer = getattr(request, "viewer", None)
    return {"peer_house": SimpleLazyObject(lambda: peer_home(viewer))}
