"""A server for the OpenAPI Initiative's Swagger Petstore example (openapi.yaml here),
correct by that spec, with violations that can be planted (see PLANTS).

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
    "missing-name": "pets in lists lack the required `name`",
    "wrong-type": "a shown pet's `id` is a string",
    "limit-ignored": "GET /pets ignores `limit`",
    "server-error": "GET /pets answers 500 when limit is above 50",
    "text-plain": "JSON is labelled text/plain",
    "bad-limit-accepted": "a `limit` that is not an integer is served as if absent",
    "error-body": "errors come without the required `code`",
    "no-allow": "405 answers carry no Allow header",
}

pets = {}
lock = threading.Lock()
next_id = [1]


class Handler(JsonHandler):
    def answer(self, status, body, headers=()):
        ct = "text/plain" if self.planted("text-plain") else "application/json; charset=UTF-8"
        self.send(status, body, headers, content_type=ct)

    def error(self, status, message):
        body = {"message": message} if self.planted("error-body") else {"code": status, "message": message}
        self.answer(status, body)

    def pet(self, p):
        out = dict(p, x_internal="undocumented")
        if self.planted("wrong-type"):
            out["id"] = str(out["id"])
        return out

    def route(self):
        path = self.path.split("?", 1)[0]
        return path.rstrip("/") or "/"

    def do_GET(self):
        path = self.route()
        if path == "/pets":
            query = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
            limit = None
            if "limit" in query:
                text = query["limit"][0]
                if not re.fullmatch(r"-?\d+", text):
                    if not self.planted("bad-limit-accepted"):
                        return self.error(400, "limit must be an integer")
                else:
                    limit = int(text)
                    if not -(2**31) <= limit < 2**31:
                        return self.error(400, "limit is not an int32")
                    if limit > 50 and self.planted("server-error"):
                        return self.error(500, "boom")
                    limit = max(limit, 0)  # the spec sets no minimum
            with lock:
                items = [self.pet(p) for p in sorted(pets.values(), key=lambda p: p["id"])]
            if self.planted("missing-name"):
                for i in items:
                    i.pop("name", None)
            if limit is not None and not self.planted("limit-ignored"):
                items = items[:limit]
            return self.answer(200, items)
        m = re.fullmatch(r"/pets/([^/]+)", path)
        if m:
            with lock:
                p = pets.get(m.group(1))
            if p is None:
                return self.error(404, "no such pet")
            return self.answer(200, [self.pet(p)])
        self.error(404, "no such resource")

    def do_POST(self):
        self.body()
        path = self.route()
        if path == "/pets":
            with lock:
                pid = next_id[0]
                next_id[0] += 1
                pets[str(pid)] = {"id": pid, "name": f"pet-{pid}", "tag": "new"}
            return self.send(201, None, [("Location", f"/pets/{pid}")])
        self.other()

    def other(self):
        path = self.route()
        allow = not self.planted("no-allow")
        if path == "/pets":
            return self.not_allowed("GET, POST", allow)
        if re.fullmatch(r"/pets/[^/]+", path):
            return self.not_allowed("GET", allow)
        self.error(404, "no such resource")

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_QUERY = other


if __name__ == "__main__":
    serve(PLANTS, Handler)
