"""What the example servers here share: JSON answers, 405 with Allow, a port on 127.0.0.1,
and a command line that names the violations to plant.

A server module defines PLANTS (name -> what it breaks) and a Handler subclass, then calls
serve(PLANTS, Handler). `python3 server.py --plant NAME ...` serves with those violations
planted; `--list-plants` lists them. The chosen port is printed on the first line.
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

JSON = "application/json; charset=UTF-8"


class JsonHandler(BaseHTTPRequestHandler):
    plants = frozenset()
    protocol_version = "HTTP/1.1"
    # One write per answer, sent at once: no 40 ms stall of Nagle against delayed ACKs.
    wbufsize = 64 * 1024
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def planted(self, name):
        return name in self.plants

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not raw:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            return ValueError

    def send(self, status, body=None, headers=(), content_type=JSON):
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def not_allowed(self, allow, with_allow=True):
        headers = [("Allow", allow)] if with_allow else []
        self.send(405, {"code": 405, "message": "method not allowed"}, headers)


def serve(plants, handler):
    args = sys.argv[1:]
    if "--list-plants" in args:
        for k, v in plants.items():
            print(f"{k:22} {v}")
        return
    chosen = set()
    while "--plant" in args:
        i = args.index("--plant")
        if i + 1 >= len(args) or args[i + 1] not in plants:
            sys.exit(f"unknown plant; choose from: {', '.join(plants)}")
        chosen.add(args[i + 1])
        del args[i : i + 2]
    handler.plants = frozenset(chosen)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
