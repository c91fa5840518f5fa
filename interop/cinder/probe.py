"""Readiness probe for interop/cinder/up.

Creates a 1 GiB volume in a throwaway project, waits for it to become
'available', deletes it and waits for the 404.  Volumes that end in 'error'
(typically "No valid backend" while the scheduler has not yet heard the
volume service's capabilities) are deleted and the create is retried, until
the deadline.  Standard library only.

usage: probe.py BASE_URL PROJECT_ID TIMEOUT_SECONDS
"""
import json
import sys
import time
import urllib.error
import urllib.request

base, project, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3])
deadline = time.monotonic() + timeout
ep = f"{base}/v3/{project}"
headers = {
    "X-Auth-Token": f"probe:{project}",
    "OpenStack-API-Version": "volume 3.0",
    "Content-Type": "application/json",
    "Accept": "application/json",
}


def call(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(ep + path, data=data, method=method,
                                 headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=15) as r:
            raw = r.read()
            return r.status, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as e:
        return e.code, None


def log(msg):
    print(f"[probe] {msg}", file=sys.stderr, flush=True)


def wait_gone(vid):
    while time.monotonic() < deadline:
        st, body = call("GET", f"/volumes/{vid}")
        if st == 404:
            return True
        if st == 200 and body["volume"]["status"] in ("error_deleting",):
            return False
        time.sleep(1)
    return False


def wait_services():
    """Wait until os-services lists cinder-scheduler and cinder-volume up."""
    last = None
    while time.monotonic() < deadline:
        st, body = call("GET", "/os-services")
        if st == 200:
            up = {s["binary"] for s in body["services"]
                  if s["state"] == "up" and s["status"] == "enabled"}
            now = sorted(f"{s['binary']}@{s['host']}:{s['state']}"
                         for s in body["services"])
            if now != last:
                log(f"services: {', '.join(now) or '(none yet)'}")
                last = now
            if {"cinder-scheduler", "cinder-volume"} <= up:
                return True
        time.sleep(1)
    return False


def main():
    if not wait_services():
        log("cinder-scheduler/cinder-volume never reported up")
        return 1
    attempt = 0
    while time.monotonic() < deadline:
        attempt += 1
        st, body = call("POST", "/volumes",
                        {"volume": {"size": 1, "name": "readiness-probe"}})
        if st != 202:
            log(f"create -> HTTP {st}; retrying")
            time.sleep(2)
            continue
        vid = body["volume"]["id"]
        status = body["volume"]["status"]
        while time.monotonic() < deadline and status not in ("available",
                                                             "error"):
            time.sleep(1)
            st, body = call("GET", f"/volumes/{vid}")
            if st == 200:
                status = body["volume"]["status"]
        call("DELETE", f"/volumes/{vid}")
        if status == "available":
            ok = wait_gone(vid)
            log(f"volume {vid} available after {attempt} attempt(s); "
                f"deleted={'yes' if ok else 'NO'}")
            return 0 if ok else 1
        log(f"attempt {attempt}: volume {vid} ended '{status}'; retrying")
        wait_gone(vid)
        time.sleep(2)
    log("deadline passed")
    return 1


sys.exit(main())
