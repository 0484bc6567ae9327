"""The connection to the cluster, and its failures in Presscut's words: a cluster that
cannot be reached is :class:`core.errors.EngineUnavailable` (the web app's 503), an index
never written :class:`core.errors.IndexMissing`."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from opensearchpy import OpenSearch
from opensearchpy import exceptions as oe

from core.errors import EngineUnavailable, IndexMissing

TIMEOUT = 10  # seconds a request may take before another node is tried
POOL = 10  # connections kept open to each node


def connect(settings) -> OpenSearch:
    """A client of the cluster the settings name (nothing is sent yet)."""
    hosts = [url.strip() for url in settings.opensearch_url.split(",") if url.strip()]
    auth = {}
    if settings.opensearch_api_key:
        auth["api_key"] = settings.opensearch_api_key
    elif settings.opensearch_user:
        auth["http_auth"] = (settings.opensearch_user, settings.opensearch_password)
    # A connection kept per server thread (fewer, and each request beyond opened anew).
    return OpenSearch(hosts=hosts, verify_certs=bool(settings.opensearch_verify),
                      ssl_show_warn=bool(settings.opensearch_verify), timeout=TIMEOUT,
                      max_retries=2, retry_on_timeout=True,
                      pool_maxsize=max(POOL, settings.threads), **auth)


def whole(answer: dict) -> dict:
    """``answer``, unless a shard failed to answer it (its documents would be missing)."""
    failed = answer.get("_shards", {}).get("failed", 0)
    if failed:
        raise EngineUnavailable(f"{failed} part(s) of the index could not be read just now "
                                "(a node of the cluster is away): ask again shortly.")
    return answer


@contextlib.contextmanager
def reachable(settings, alias: str = "") -> Iterator[None]:
    """Turn the client's failures into Presscut's errors, each with a sentence."""
    where = settings.opensearch_url
    try:
        yield
    except (oe.ConnectionError, oe.ConnectionTimeout) as exc:
        raise EngineUnavailable(
            f"The OpenSearch cluster at {where} cannot be reached: the archive cannot be "
            "searched until it is back (is it running? `make opensearch` starts a local one; "
            "--opensearch-url or PRESSCUT_OPENSEARCH_URL says where).") from exc
    except (oe.AuthenticationException, oe.AuthorizationException) as exc:
        raise EngineUnavailable(
            f"The OpenSearch cluster at {where} refused Presscut's credentials "
            "(PRESSCUT_OPENSEARCH_USER and PASSWORD, or API_KEY).") from exc
    except oe.TransportError as exc:
        if isinstance(exc, oe.NotFoundError) and alias and "index_not_found" in str(exc):
            raise IndexMissing(f"There is no index {alias!r} in the OpenSearch cluster at "
                               f"{where} yet: `presscut index --engine opensearch` writes it."
                               ) from exc
        # (A search whose shard copies failed is a search_phase_execution_exception: its
        # status is the failures', a 500 when a node went away under it, a 404 "No search
        # context found" when the node that held the search's context did.)
        if exc.status_code in (429, 502, 503, 504) or exc.error == "search_phase_execution_exception":
            raise EngineUnavailable(f"The OpenSearch cluster at {where} is not answering "
                                    f"now ({exc.status_code}): try again shortly.") from exc
        raise
