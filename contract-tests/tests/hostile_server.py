"""An EVS-like server that attacks its client rather than its spec.

Usage: python hostile_server.py [--die-after N] [--revoke-after N]  (prints the port it
listens on, on 127.0.0.1; with --die-after, the process exits as the Nth request arrives, as
a crashing server does; with --revoke-after, every request from the Nth on gets 401, as
when a run's own request revokes its token)
- GET /v2/<p>/types            302 to another origin (a second server in this process)
- GET /v2/<p>/volumes          a JSON body of 8 MiB, sent without a length
- GET /v2/<p>/volumes/detail   400 in plain text echoing the request's token, with raw control characters
- GET /v2/<p>/os-availability-zone  every other answer is 429 with Retry-After: 0
- POST /v2/<p>/volumes         202 with an empty object: created, and no id to delete it by
- GET /__elsewhere             what the other origin received: {"requests": N, "credentials": M}
- anything else                404 with an EVS error body
"""
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SEEN = {"requests": 0, "credentials": 0}
def flag(name):
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else None


DIE_AFTER = flag("--die-after")
REVOKE_AFTER = flag("--revoke-after")
RECEIVED = [0]
THROTTLED = [0]
LOCK = threading.Lock()


def maybe_die():
    """Exits as the Nth request arrives (--die-after); True once the token is revoked."""
    with LOCK:
        RECEIVED[0] += 1
        if DIE_AFTER is not None and RECEIVED[0] >= DIE_AFTER:
            os._exit(1)
        return REVOKE_AFTER is not None and RECEIVED[0] >= REVOKE_AFTER
SECRET_HEADERS = ("x-auth-token", "x-api-key", "authorization", "x-security-token")


class Elsewhere(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        SEEN["requests"] += 1
        if any(self.headers.get(h) for h in SECRET_HEADERS):
            SEEN["credentials"] += 1
        body = b"{}"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_PUT = do_DELETE = do_GET


elsewhere = ThreadingHTTPServer(("127.0.0.1", 0), Elsewhere)
threading.Thread(target=elsewhere.serve_forever, daemon=True).start()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send(self, status, body, extra=()):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        for k, v in extra:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if maybe_die():
            return self.send(401, {"unauthorized": {"message": "token revoked", "code": "EVS.0003"}})
        path = self.path.partition("?")[0]
        parts = [p for p in path.split("/") if p]
        if parts == ["__elsewhere"]:
            return self.send(200, SEEN)
        if len(parts) == 3 and parts[0] == "v2" and parts[2] == "types":
            target = "http://127.0.0.1:%d/steal" % elsewhere.server_address[1]
            return self.send(302, {}, [("Location", target)])
        if len(parts) == 3 and parts[0] == "v2" and parts[2] == "volumes":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            try:
                self.wfile.write(b'{"volumes": [')
                item = b'{"id": "%s", "name": "x", "links": []},' % (b"a" * 1000)
                for _ in range(8 * 1024):
                    self.wfile.write(item)
                self.wfile.write(b'{"id": "b", "name": "x", "links": []}]}')
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        if len(parts) == 3 and parts[2] == "os-availability-zone":
            with LOCK:
                THROTTLED[0] += 1
                busy = THROTTLED[0] % 2 == 1
            if busy:
                return self.send(429, {"overLimit": {"message": "slow down", "code": "EVS.5429"}},
                                 [("Retry-After", "0")])
            zone = {"zoneName": "az1", "zoneState": {"available": True}}
            return self.send(200, {"availabilityZoneInfo": [zone]})
        if len(parts) == 4 and parts[2] == "volumes" and parts[3] == "detail":
            token = self.headers.get("X-Auth-Token") or ""
            body = ("token %s refused\x1b[31m\x07\x00 here" % token).encode()
            self.send_response(400)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send(404, {"itemNotFound": {"message": "not found", "code": "EVS.5404"}})

    def do_POST(self):
        revoked = maybe_die()
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        if revoked:
            return self.send(401, {"unauthorized": {"message": "token revoked", "code": "EVS.0003"}})
        parts = [p for p in self.path.partition("?")[0].split("/") if p]
        if self.command == "POST" and len(parts) == 3 and parts[2] == "volumes":
            return self.send(202, {})
        self.send(404, {"itemNotFound": {"message": "not found", "code": "EVS.5404"}})

    do_PUT = do_DELETE = do_PATCH = do_POST


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
