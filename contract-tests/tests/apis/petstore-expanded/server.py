"""A server for the OpenAPI Initiative's Petstore Expanded example (openapi.yaml here):
pets are created with a body, found by id, filtered by tag and deleted. Correct by that
spec, with violations that can be planted (see PLANTS).

Correct mode also does what a good tool must not flag: every pet carries an undocumented
field, and JSON is labelled `application/json; charset=UTF-8`.
"""
import os
import re
import sys
import threading
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from plantserver import JsonHandler, serve  # noqa: E402

PLANTS = {
    "unstated-rule": "addPet refuses every pet without an `owner`, a field the spec does not have",
    "tag-lost": "addPet drops the `tag` it was given",
    "deleted-still-found": "a deleted pet is still found by id",
    "tags-ignored": "findPets ignores the `tags` filter",
    "bad-id-crash": "an id that is not an integer answers 500",
    "missing-body-accepted": "addPet without a body creates a pet anyway",
    "name-not-required": "addPet accepts a pet without `name`",
    "null-tag-accepted": "addPet accepts `tag: null`, though `tag` is not nullable",
    "delete-answers-pet": "deletePet answers 200 with the pet instead of 204",
    "no-allow": "405 answers carry no Allow header",
}

pets = {}
deleted = {}
lock = threading.Lock()
next_id = [1]


class Handler(JsonHandler):
    def error(self, status, message):
        self.send(status, {"code": status, "message": message})

    def route(self):
        url = urlsplit(self.path)
        return url.path.rstrip("/") or "/", parse_qs(url.query, keep_blank_values=True)

    def pet_id(self, path):
        m = re.fullmatch(r"/pets/([^/]+)", path)
        if not m:
            return None
        text = m.group(1)
        if not re.fullmatch(r"-?\d+", text):
            if self.planted("bad-id-crash"):
                self.error(500, "internal error")
            else:
                self.error(400, "id must be an integer")
            return False
        return int(text)

    @staticmethod
    def shown(p):
        return dict(p, created_by="server")

    def do_GET(self):
        path, query = self.route()
        if path == "/pets":
            limit = None
            if "limit" in query:
                text = query["limit"][0]
                if not re.fullmatch(r"-?\d+", text) or not -(2**31) <= int(text) < 2**31:
                    return self.error(400, "limit must be an int32")
                limit = max(int(text), 0)
            tags = query.get("tags", [])  # form, exploded: one tags=... per value
            with lock:
                items = sorted(pets.values(), key=lambda p: p["id"])
            if tags and not self.planted("tags-ignored"):
                items = [p for p in items if p.get("tag") in tags]
            if limit is not None:
                items = items[:limit]
            return self.send(200, [self.shown(p) for p in items])
        pid = self.pet_id(path)
        if pid is False:
            return
        if pid is None:
            return self.error(404, "no such resource")
        with lock:
            p = pets.get(pid)
            if p is None and self.planted("deleted-still-found"):
                p = deleted.get(pid)
        if p is None:
            return self.error(404, "no such pet")
        self.send(200, self.shown(p))

    def do_POST(self):
        body = self.body()
        path, _ = self.route()
        if path != "/pets":
            return self.other()
        if body is None and self.planted("missing-body-accepted"):
            body = {"name": "unnamed"}
        if body is ValueError or not isinstance(body, dict):
            return self.error(400, "the body must be a JSON object")
        if "owner" not in body and self.planted("unstated-rule"):
            return self.error(400, "owner is required")
        name, tag = body.get("name"), body.get("tag")
        if "name" not in body and self.planted("name-not-required"):
            name = "unnamed"
        if not isinstance(name, str):
            return self.error(400, "name is required and must be a string")
        null_ok = tag is None and self.planted("null-tag-accepted")
        if "tag" in body and not isinstance(tag, str) and not null_ok:  # not nullable
            return self.error(400, "tag must be a string")
        with lock:
            pid = next_id[0]
            next_id[0] += 1
            pet = {"id": pid, "name": name}
            if tag is not None and not self.planted("tag-lost"):
                pet["tag"] = tag
            pets[pid] = pet
        self.send(200, self.shown(pet))

    def do_DELETE(self):
        path, _ = self.route()
        pid = self.pet_id(path)
        if pid is False:
            return
        if pid is None:
            return self.other()
        with lock:
            p = pets.pop(pid, None)
            if p is not None:
                deleted[pid] = p
        if p is None:
            return self.error(404, "no such pet")
        if self.planted("delete-answers-pet"):
            return self.send(200, self.shown(p))
        self.send(204)

    def other(self):
        path, _ = self.route()
        allow = not self.planted("no-allow")
        if path == "/pets":
            return self.not_allowed("GET, POST", allow)
        if re.fullmatch(r"/pets/[^/]+", path):
            return self.not_allowed("GET, DELETE", allow)
        self.error(404, "no such resource")

    do_PUT = do_PATCH = do_OPTIONS = do_TRACE = do_QUERY = other


if __name__ == "__main__":
    serve(PLANTS, Handler)
