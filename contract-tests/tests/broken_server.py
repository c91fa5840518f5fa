"""A small EVS-like server, not the emulator, that breaks the spec in its own ways.

Usage: python broken_server.py  (prints the port it listens on, on 127.0.0.1)
- GET  /v2/<p>/volumes        ids are integers and links are missing
- GET  /v2/<p>/types          JSON labelled text/html
- POST /v2/<p>/volumes        answers 201, which createVolume does not document
- GET  /v2/<p>/volumes/detail a 500 when limit is given
- anything else               404 with an EVS error body
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send(self, status, body, content_type="application/json"):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        path, _, query = self.path.partition("?")
        parts = [p for p in path.split("/") if p]
        if len(parts) == 3 and parts[0] == "v2" and parts[2] == "volumes":
            return self.send(200, {"volumes": [{"id": 1, "name": "a"}]})
        if len(parts) == 3 and parts[0] == "v2" and parts[2] == "types":
            return self.send(200, {"volume_types": [{"id": "t1", "name": "SATA"}]}, "text/html")
        if len(parts) == 4 and parts[2] == "volumes" and parts[3] == "detail":
            if "limit=" in query:
                return self.send(500, {"computeFault": {"message": "boom", "code": "EVS.2002"}})
            return self.send(200, {"volumes": []})
        self.send(404, {"itemNotFound": {"message": "not found", "code": "EVS.5404"}})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        parts = [p for p in self.path.split("/") if p]
        if len(parts) == 3 and parts[2] == "volumes":
            return self.send(201, {"volume": {"id": "v1"}})
        self.send(404, {"itemNotFound": {"message": "not found", "code": "EVS.5404"}})

    do_PUT = do_POST
    do_DELETE = do_GET


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
