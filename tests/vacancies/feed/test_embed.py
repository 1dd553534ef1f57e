"""/v/<organization>/<house>/embed/: a house's open beds in a page any website may frame; the rest of the site keeps
refusing to be framed."""

from houses.models import House

EMBED = "/v/second-wind/maple-house/embed/"


def test_the_snippet_shows_open_beds_now_and_soon_with_an_apply_link(visitor, maple):
    answer = visitor.get(EMBED)
    assert answer.status_code == 200
    shown = answer.content.decode()
    assert "<strong>3</strong> beds open now" in shown
    assert "1 bed on Mon, Mar 16" in shown
    assert 'href="http://127.0.0.1:8000/v/second-wind/maple-house/"' in shown or "/v/second-wind/maple-house/" in shown
    assert ">Apply<" in shown


def test_the_snippet_may_be_framed_by_any_site(visitor, maple):
    answer = visitor.get(EMBED)
    assert "X-Frame-Options" not in answer.headers
    assert "frame-ancestors *" in answer.headers["Content-Security-Policy"]
    assert "'none'" not in answer.headers["Content-Security-Policy"].split("frame-ancestors")[1].split(";")[0]


def test_the_rest_of_the_site_still_refuses_to_be_framed(visitor, maple):
    answer = visitor.get("/accounts/login/")
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]


def test_the_snippet_keeps_the_rest_of_the_content_security_policy(visitor, maple):
    policy = visitor.get(EMBED).headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "default-src 'self'" in policy


def test_an_unpublished_house_has_no_snippet(visitor, hidden):
    assert visitor.get("/v/second-wind/harbor-house/embed/").status_code == 404


def test_a_closed_house_has_no_snippet(visitor, maple, house):
    House.objects.filter(pk=house.pk).update(status=House.Status.CLOSED)
    assert visitor.get(EMBED).status_code == 404


def test_the_snippet_names_no_resident(visitor, maple, resident_stay):
    assert resident_stay.resident.legal_last_name not in visitor.get(EMBED).content.decode()
