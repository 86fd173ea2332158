"""Retries, timeouts and rate limits: the real huggingface_hub client against the fake Hub."""

from __future__ import annotations

import time

import pytest
from fakehub import FakeHub

from qwen_tui.hub.client import HubSession
from qwen_tui.hub.fetch import FetchError, check_repo, list_org
from qwen_tui.hub.settings import SyncSettings

FAST = SyncSettings(workers=4, connect_timeout=2, read_timeout=0.5, max_retries=2,
                    backoff_base=0.01, backoff_max=0.05, max_server_wait=3)


@pytest.fixture
def hub():
    h = FakeHub(page_size=2)
    for i in range(5):
        h.add(f"acme/m{i}")
    with h:
        yield h


def session(hub, settings=FAST, token=None):
    s = HubSession(hub.url, token, settings)
    return s


def test_all_pages_are_followed(hub):
    repos = list_org(session(hub), "acme", "acme", "t").repos
    assert sorted(r.repo_id for r in repos) == [f"acme/m{i}" for i in range(5)]
    pages = hub.seen("/api/models")
    assert len(pages) == 3  # 5 repos, 2 a page
    assert [dict(p.query).get("cursor") for p in pages] == [None, "1", "2"]
    # Every page asked for exactly our expand list, and nothing went to the telemetry endpoint.
    assert all(p.query.count(("author", "acme")) == 1 for p in pages)
    assert not [r for r in hub.requests if "agent-harnesses" in r.path]


def test_503_then_ok_is_retried(hub):
    hub.fault("list:acme", status=503, times=2)
    repos = list_org(session(hub), "acme", "acme", "t").repos
    assert len(repos) == 5
    assert len(hub.seen("/api/models")) == 2 + 3


def test_503_for_ever_gives_up_in_one_line_and_quickly(hub):
    hub.fault("list:acme", status=503)
    t = time.monotonic()
    with pytest.raises(FetchError) as err:
        list_org(session(hub), "acme", "acme", "t")
    assert time.monotonic() - t < 2  # our backoff, not the library's 1-2-4-8-8 s
    assert str(err.value) == (f"listing acme: HTTP 503 (Service Unavailable) from {hub.url[7:]} on /api/models"
                              " after 3 tries")
    assert len(hub.seen("/api/models")) == 3


def test_429_rate_limit_header_is_honoured(hub):
    hub.fault("list:acme", status=429, times=1,
              headers={"RateLimit": '"api";r=0;t=1', "RateLimit-Policy": '"fixed window";"api";q=500;w=300'})
    t = time.monotonic()
    repos = list_org(session(hub), "acme", "acme", "t").repos
    waited = time.monotonic() - t
    assert len(repos) == 5
    assert 0.9 <= waited < 2.5, waited  # the Hub said 1 s; our own backoff would be ~0.01 s


def test_retry_after_beyond_the_cap_fails_at_once(hub):
    hub.fault("list:acme", status=429, headers={"Retry-After": "120"})
    t = time.monotonic()
    with pytest.raises(FetchError, match=r"asks to wait 120 s \(more than 3 s\); try again later"):
        list_org(session(hub), "acme", "acme", "t")
    assert time.monotonic() - t < 1
    assert len(hub.seen("/api/models")) == 1


def test_slow_endpoint_times_out(hub):
    hub.fault("list:acme", delay=2.0)
    t = time.monotonic()
    with pytest.raises(FetchError,
                       match=r"listing acme: cannot reach 127.0.0.1:\d+ \(timed out\) on /api/models after 3 tries"):
        list_org(session(hub), "acme", "acme", "t")
    assert time.monotonic() - t < 2.5


def test_malformed_json(hub):
    hub.fault("list:acme", status=200, body=b'[{"id": "acme/m0", ')
    with pytest.raises(FetchError, match=r"^listing acme: malformed JSON from the Hub$"):
        list_org(session(hub), "acme", "acme", "t")


def test_json_that_is_not_a_list(hub):
    hub.fault("list:acme", status=200, body=b'{"error": "nope"}')
    with pytest.raises(FetchError, match="malformed answer"):
        list_org(session(hub), "acme", "acme", "t")


def test_bad_request_names_the_servers_message(hub):
    hub.fault("list:acme", status=400, headers={"X-Error-Message": "Invalid expand"})
    with pytest.raises(FetchError, match=r"^listing acme: HTTP 400: Invalid expand$"):
        list_org(session(hub), "acme", "acme", "t")


def test_model_info_found_renamed_missing_gated(hub):
    hub.add("acme/gated", gated="manual", children=12, base_model="acme/m0")
    hub.add("acme/Old")
    hub.rename("acme/Old", "acme/New")
    hub.fault("model:acme/locked", status=401, headers={"X-Error-Code": "GatedRepo"})
    s = session(hub)
    found = check_repo(s, "acme/gated", "t")
    assert (found.state, found.children, found.gated, found.base_models) == ("found", 12, "manual", ("acme/m0",))
    renamed = check_repo(s, "acme/Old", "t")
    assert (renamed.state, renamed.renamed_to) == ("renamed", "acme/New")
    assert check_repo(s, "acme/nope", "t").state == "missing"
    locked = check_repo(s, "acme/locked", "t")
    assert (locked.state, locked.gated) == ("found", "gated")
    expands = [dict(r.query) for r in hub.seen("/api/models/acme/gated")]
    assert hub.seen("/api/models/acme/gated")[0].query.count(("expand", "childrenModelCount")) == 1, expands


def test_model_info_5xx_is_retried_by_us(hub):
    hub.fault("model:acme/m1", status=502, times=1)
    assert check_repo(session(hub), "acme/m1", "t").state == "found"
    hub.fault("model:acme/m2", status=500)
    with pytest.raises(FetchError, match=r"^model_info acme/m2: HTTP 500 \(Internal Server Error\) "
                                         r"from 127.0.0.1:\d+ on /api/models/acme/m2 after 3 tries$"):
        check_repo(session(hub), "acme/m2", "t")


def test_token_is_sent_as_bearer(hub):
    list_org(session(hub, token="hf_secret_abc"), "acme", "acme", "t")
    assert all(r.header("Authorization") == "Bearer hf_secret_abc" for r in hub.seen("/api/models"))
    hub.requests.clear()
    list_org(session(hub), "acme", "acme", "t")
    assert all(r.header("Authorization") is None for r in hub.seen("/api/models"))


def test_requests_elsewhere_than_the_endpoint_are_refused(hub):
    from huggingface_hub.utils import get_session

    s = session(hub)
    with pytest.raises(Exception, match=r"refusing a request to http://example\.org"):
        get_session().get("http://example.org/api/agent-harnesses")
    s.close()


def test_cancel_cuts_a_backoff_wait_short(hub):
    import threading

    cancel = threading.Event()
    slow = SyncSettings(max_retries=3, backoff_base=10, backoff_max=10, read_timeout=1)
    s = HubSession(hub.url, None, slow, cancel)
    hub.fault("list:acme", status=503)
    errors: list[str] = []

    def work():
        try:
            list_org(s, "acme", "acme", "t")
        except FetchError as exc:
            errors.append(str(exc))

    t = time.monotonic()
    worker = threading.Thread(target=work)
    worker.start()
    time.sleep(0.3)
    cancel.set()
    worker.join(3)
    assert not worker.is_alive()
    assert time.monotonic() - t < 2
    assert errors == ["listing acme: refresh cancelled"]


@pytest.mark.parametrize("url", ["huggingface.co", "ftp://x", "http://"])
def test_bad_endpoint_is_a_usage_error(url):
    from qwen_tui.errors import UsageError
    from qwen_tui.hub.client import resolve_endpoint

    with pytest.raises(UsageError, match="is not an http"):
        resolve_endpoint(url)


@pytest.mark.parametrize(("url", "same"), [
    ("https://huggingface.co/api/models?cursor=2", True),
    ("https://huggingface.co:443/api/models", True),
    ("https://HuggingFace.co/api/models", True),
    ("http://huggingface.co/api/models", False),  # a downgrade to http
    ("https://huggingface.co:8443/api/models", False),
    ("https://huggingface.co.evil.example/api/models", False),
    ("https://user:pw@huggingface.co/api/models", True),  # user-info is not part of the origin
])
def test_origin_is_scheme_host_and_port(url, same):
    import httpx2

    from qwen_tui.hub.transport import origin

    assert (origin(httpx2.URL(url)) == origin(httpx2.URL("https://huggingface.co"))) is same


def test_redaction_catches_the_token_before_any_cut():
    from qwen_tui.hub.fetch import describe
    from qwen_tui.hub.transport import HubUnavailable

    token = "hf_" + "Ab1" * 12
    text = describe(HubUnavailable("x" * 170 + f" Authorization: Bearer {token} and {token}"), (token,))
    assert "hf_" not in text and "Bearer ***" in text and len(text) <= 200
    unknown = describe(HubUnavailable(f"echo {'y' * 150} hf_{'Z9' * 20}"))
    assert "hf_Z9" not in unknown


def test_an_answer_dripped_after_its_headers_is_cut_at_the_request_deadline(hub):
    hub.fault("list:acme", body=b"[" + b" " * 200 + b"]", drip=0.2, drip_body_only=True)
    settings = SyncSettings(workers=2, read_timeout=5, request_deadline=1.5, max_retries=0, backoff_base=0.01)
    t = time.monotonic()
    with pytest.raises(FetchError, match=r"cannot reach 127\.0\.0\.1:\d+ \(answer still arriving after 2 s\)"):
        list_org(session(hub, settings), "acme", "acme", "t")
    assert time.monotonic() - t < 4  # never reaches the 5 s read timeout: every byte comes in time


def test_a_spent_rate_budget_with_a_long_reset_stops_asking(hub):
    hub.fault("list:acme", times=1, body=b'[{"_id": "1", "id": "acme/m0"}]',
              headers={"RateLimit": '"api";r=1;t=600', "RateLimit-Policy": '"fixed window";"api";q=500;w=300',
                       "Link": f'<{hub.url}/api/models?author=acme&cursor=1>; rel="next"'})
    with pytest.raises(FetchError, match=r"rate budget is spent \(1 requests left, resets in 600 s\); try again later"):
        list_org(session(hub), "acme", "acme", "t")
    assert len(hub.seen("/api/models")) == 1  # the next page was not asked for
