"""The Web Annotation Protocol, statement by statement (tests named after its sections),
as a generic W3C client uses it: a bearer token, JSON-LD, Prefer, ETags and If-Match."""

from __future__ import annotations

from typing import Any

import pytest
from werkzeug.test import TestResponse

from studygroup.extensions import db
from studygroup.models import User
from studygroup.services import tokens
from studygroup.w3c import protocol
from tests.functional.discussion_support import HOST, Room, build_room

ANNO = "http://www.w3.org/ns/anno.jsonld"
LD_JSON = f'application/ld+json; profile="{ANNO}"'
LDP = "http://www.w3.org/ns/ldp#"
MINIMAL = f'return=representation;include="{LDP}PreferMinimalContainer"'
IRIS = 'return=representation;include="http://www.w3.org/ns/oa#PreferContainedIRIs"'
DESCRIPTIONS = 'return=representation;include="http://www.w3.org/ns/oa#PreferContainedDescriptions"'


class W3CClient:
    """What a protocol client sends: only a bearer token, and the JSON-LD media type."""

    def __init__(self, room: Room, role: str) -> None:
        with room.app.app_context():
            user = db.session.get(User, room.users[role].id)
            token = tokens.create_token(user=user, label="w3c client")
        self.http = room.app.test_client()
        self.headers = {"Authorization": f"Bearer {token}", "Accept": LD_JSON}

    def open(self, method: str, url: str, **kwargs: Any) -> TestResponse:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        if "json" in kwargs:
            headers["Content-Type"] = LD_JSON
        return self.http.open(url.removeprefix(HOST), method=method, headers=headers, **kwargs)


@pytest.fixture
def room(app, factory) -> Room:
    return build_room(app, factory)


@pytest.fixture
def w3c(room) -> W3CClient:
    return W3CClient(room, "author")


def annotation(room: Room, exact: str = "single article", **extra: Any) -> dict[str, Any]:
    start = room.text.index(exact)
    return {
        "@context": ANNO,
        "type": "Annotation",
        "body": {"type": "TextualBody", "value": "Which one?", "format": "text/plain"},
        "target": {
            "source": f"{HOST}/readings/{room.reading_id}",
            "selector": [
                {"type": "TextQuoteSelector", "exact": exact},
                {"type": "TextPositionSelector", "start": start, "end": start + len(exact)},
            ],
        },
        **extra,
    }


def created(w3c: W3CClient, room: Room, **extra: Any) -> TestResponse:
    response = w3c.open("POST", room.collection, json=annotation(room, **extra))
    assert response.status_code == 201, response.text
    return response


def links(response: TestResponse) -> set[str]:
    return {part.strip() for part in response.headers.get("Link", "").split(",")}


# 4.1 Container Retrieval


def test_4_1_the_container_supports_get_head_and_options(w3c, room):
    get = w3c.open("GET", room.collection)
    assert get.status_code == 200
    assert set(get.headers["Allow"].replace(" ", "").split(",")) == {
        "GET", "HEAD", "OPTIONS", "POST"
    }  # fmt: skip
    head = w3c.open("HEAD", room.collection)
    options = w3c.open("OPTIONS", room.collection)
    assert head.status_code == options.status_code == 200 and head.data == b""
    for name in ("ETag", "Allow", "Link", "Accept-Post", "Content-Location"):
        assert head.headers[name] == options.headers[name] == get.headers[name], name


def test_4_1_the_container_answers_json_ld_with_the_annotation_profile(w3c, room):
    response = w3c.open("GET", room.collection)
    assert response.content_type == LD_JSON
    assert ANNO in response.get_json()["@context"]


def test_4_1_the_container_has_an_etag_and_answers_if_none_match(w3c, room):
    etag = w3c.open("GET", room.collection).headers["ETag"]
    assert etag.startswith('"')
    again = w3c.open("GET", room.collection, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["ETag"] == etag


def test_4_1_the_container_advertises_its_type_and_constraints_in_link(w3c, room, client):
    response = w3c.open("GET", room.collection)
    assert f'<{LDP}BasicContainer>; rel="type"' in links(response)
    constraints = [link for link in links(response) if link.endswith(f'rel="{LDP}constrainedBy"')]
    assert constraints == [f'<{HOST}/api/constraints>; rel="{LDP}constrainedBy"']
    page = client.get("/api/constraints")  # anyone may read what the container accepts
    assert page.status_code == 200 and "TextPositionSelector" in page.text


def test_4_1_the_container_names_what_it_accepts_in_accept_post(w3c, room):
    assert "application/ld+json" in w3c.open("GET", room.collection).headers["Accept-Post"]


def test_4_1_the_container_varies_on_accept_and_prefer(w3c, room):
    vary = {v.strip() for v in w3c.open("GET", room.collection).headers["Vary"].split(",")}
    assert {"Accept", "Prefer"} <= vary


# 4.2 Container Representations


def test_4_2_the_container_is_a_basic_container_and_an_annotation_collection(w3c, room):
    created(w3c, room)
    data = w3c.open("GET", room.collection).get_json()
    assert set(data["type"]) == {"BasicContainer", "AnnotationCollection"}
    assert data["id"] == f"{HOST}{room.collection}" and data["total"] == 1
    assert data["first"]["items"][0]["type"] == "Annotation"


def test_4_2_prefer_minimal_container_embeds_no_page(w3c, room):
    created(w3c, room)
    response = w3c.open("GET", room.collection, headers={"Prefer": MINIMAL})
    data = response.get_json()
    assert data["first"] == data["last"] == f"{HOST}{room.collection}?page=0"
    assert data["total"] == 1
    assert response.headers["Preference-Applied"] == "return=representation"
    default = w3c.open("GET", room.collection)
    assert response.headers["ETag"] != default.headers["ETag"]  # another representation


def test_4_2_prefer_contained_iris_pages_hold_iris(w3c, room):
    made = created(w3c, room).get_json()
    response = w3c.open("GET", room.collection, headers={"Prefer": IRIS})
    data = response.get_json()
    assert data["first"]["items"] == [made["id"]]
    assert data["first"]["id"] == f"{HOST}{room.collection}?page=0&iris=1"
    location = response.headers["Content-Location"]
    assert location == f"{HOST}{room.collection}?iris=1"
    assert w3c.open("GET", location).get_json()["first"]["items"] == [made["id"]]
    page = w3c.open("GET", data["first"]["id"]).get_json()
    assert page["type"] == "AnnotationPage" and page["items"] == [made["id"]]


def test_4_2_prefer_contained_descriptions_pages_hold_annotations(w3c, room):
    made = created(w3c, room).get_json()
    data = w3c.open("GET", room.collection, headers={"Prefer": DESCRIPTIONS}).get_json()
    assert data["first"]["items"][0]["id"] == made["id"]
    assert data["first"]["items"][0]["body"] == made["body"]


# 4.3 Container Pages


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(protocol, "PAGE_SIZE", 2)


def test_4_3_pages_link_next_prev_and_their_container(w3c, room, small_pages):
    ids = [created(w3c, room).get_json()["id"] for _ in range(5)]
    data = w3c.open("GET", room.collection).get_json()
    assert data["total"] == 5 and data["last"] == f"{HOST}{room.collection}?page=2"
    seen, page = [], data["first"]
    while True:
        assert page["type"] == "AnnotationPage"
        assert page["partOf"] == {"id": f"{HOST}{room.collection}"}
        assert page["startIndex"] == len(seen)
        seen += [item["id"] for item in page["items"]]
        if "next" not in page:
            break
        following = w3c.open("GET", page["next"]).get_json()
        assert following["prev"] == page["id"]
        page = following
    assert seen == ids and page["id"] == data["last"]
    assert "prev" not in data["first"]


def test_4_3_a_page_past_the_last_is_not_found(w3c, room, small_pages):
    created(w3c, room)
    assert w3c.open("GET", room.collection + "?page=1").status_code == 404
    assert w3c.open("GET", room.collection + "?page=x").status_code == 400


# 3 and 5.1 Annotation Retrieval, Creation


def test_5_1_creation_answers_201_with_an_iri_inside_the_container(w3c, room):
    response = created(w3c, room)
    data = response.get_json()
    assert response.headers["Location"] == data["id"]
    assert data["id"].startswith(f"{HOST}{room.collection}")
    assert data["id"].removeprefix(f"{HOST}{room.collection}").isdigit()
    assert response.content_type == LD_JSON and response.headers["ETag"]


def test_5_1_an_annotation_without_motivation_gets_one_from_its_body(w3c, room):
    assert created(w3c, room).get_json()["motivation"] == "commenting"
    bare = annotation(room)
    del bare["body"]
    response = w3c.open("POST", room.collection, json=bare)
    assert response.status_code == 201 and response.get_json()["motivation"] == "highlighting"


def test_5_1_a_target_on_another_resource_is_refused_with_the_readings_iri(w3c, room):
    elsewhere = annotation(room)
    elsewhere["target"]["source"] = "http://example.org/some/page"
    response = w3c.open("POST", room.collection, json=elsewhere)
    assert response.status_code == 422
    assert f"{HOST}/readings/{room.reading_id}" in response.get_json()["error"]["message"]


def test_5_1_the_reading_itself_as_target_is_a_page_note(w3c, room):
    note = {"@context": ANNO, "type": "Annotation", "target": f"{HOST}/readings/{room.reading_id}"}
    note["body"] = {"type": "TextualBody", "value": "Overall, convincing."}
    response = w3c.open("POST", room.collection, json=note)
    assert response.status_code == 201, response.text
    assert response.get_json()["target"] == {"source": f"{HOST}/readings/{room.reading_id}"}
    highlight = {**note, "motivation": "highlighting"}
    del highlight["body"]
    assert w3c.open("POST", room.collection, json=highlight).status_code == 422


def test_3_1_an_annotation_has_etag_allow_link_and_vary(w3c, room):
    iri = created(w3c, room).get_json()["id"]
    response = w3c.open("GET", iri)
    assert response.status_code == 200 and response.content_type == LD_JSON
    assert response.headers["ETag"].startswith('"')
    allow = set(response.headers["Allow"].replace(" ", "").split(","))
    assert {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"} == allow
    assert f'<{LDP}Resource>; rel="type"' in links(response)
    assert "Accept" in response.headers["Vary"]


def test_3_1_head_and_options_agree_with_get(w3c, room):
    iri = created(w3c, room).get_json()["id"]
    get, head, options = (w3c.open(method, iri) for method in ("GET", "HEAD", "OPTIONS"))
    assert head.status_code == options.status_code == 200 and head.data == b""
    for name in ("ETag", "Allow", "Link", "Content-Type"):
        assert get.headers[name] == head.headers[name] == options.headers[name], name


def test_3_1_if_none_match_answers_304(w3c, room):
    iri = created(w3c, room).get_json()["id"]
    etag = w3c.open("GET", iri).headers["ETag"]
    assert w3c.open("GET", iri, headers={"If-None-Match": etag}).status_code == 304


# 5.3 Update


def test_5_3_put_replaces_an_annotation_with_if_match(w3c, room):
    made = created(w3c, room)
    data = made.get_json()
    data["body"] = [{"type": "TextualBody", "value": "Replaced words", "format": "text/plain"}]
    response = w3c.open("PUT", data["id"], json=data, headers={"If-Match": made.headers["ETag"]})
    assert response.status_code == 200, response.text
    assert response.get_json()["body"][0]["value"] == "Replaced words"
    assert response.headers["ETag"] != made.headers["ETag"]


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_5_3_a_stale_if_match_is_refused_and_nothing_changes(w3c, room, method):
    made = created(w3c, room)
    iri, stale = made.get_json()["id"], made.headers["ETag"]
    edit = {"body": {"type": "TextualBody", "value": "Someone else's edit"}}
    assert w3c.open("PATCH", iri, json=edit).status_code == 200  # another editor got there first
    mine = {**made.get_json(), "body": {"type": "TextualBody", "value": "Mine"}}
    response = w3c.open(method, iri, json=mine, headers={"If-Match": stale})
    assert response.status_code == 412
    assert w3c.open("GET", iri).get_json()["body"][0]["value"] == "Someone else's edit"


def test_5_3_put_cannot_change_the_motivation(w3c, room):
    data = created(w3c, room).get_json()
    response = w3c.open("PUT", data["id"], json={**data, "motivation": "questioning"})
    assert response.status_code == 422


# 5.4 Delete


def test_5_4_delete_answers_204_and_the_annotation_is_gone(w3c, room):
    made = created(w3c, room)
    iri = made.get_json()["id"]
    response = w3c.open("DELETE", iri, headers={"If-Match": made.headers["ETag"]})
    assert response.status_code == 204
    assert w3c.open("GET", iri).status_code == 404


# IRIs of before the container


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_old_iris_redirect_permanently_to_the_container(w3c, room, method):
    iri = created(w3c, room).get_json()["id"]
    number = iri.rsplit("/", 1)[1]
    response = w3c.open(method, f"/api/annotations/{number}", json={})
    assert response.status_code == 308 and response.headers["Location"] == iri
    vote = w3c.open("PUT", f"/api/annotations/{number}/vote")
    assert vote.status_code == 308 and vote.headers["Location"] == f"{iri}/vote"


def test_an_annotation_is_only_found_in_its_own_container(w3c, room, factory):
    iri = created(w3c, room).get_json()["id"]
    other = factory.reading(factory.group(room.users["author"]), room.users["author"], "Other.")
    number = iri.rsplit("/", 1)[1]
    assert w3c.open("GET", f"/api/readings/{other.id}/annotations/{number}").status_code == 404


def test_4_3_one_page_of_everything_is_what_the_reader_loads(w3c, room, small_pages):
    ids = [created(w3c, room).get_json()["id"] for _ in range(3)]
    response = w3c.open("GET", room.collection + "?page=all")
    page = response.get_json()
    assert page["id"] == f"{HOST}{room.collection}?page=all" and page["type"] == "AnnotationPage"
    assert [item["id"] for item in page["items"]] == ids
    assert page["startIndex"] == 0 and "next" not in page and "prev" not in page
    etag = response.headers["ETag"]
    assert w3c.open("GET", page["id"], headers={"If-None-Match": etag}).status_code == 304
    created(w3c, room)
    assert w3c.open("GET", page["id"], headers={"If-None-Match": etag}).status_code == 200
