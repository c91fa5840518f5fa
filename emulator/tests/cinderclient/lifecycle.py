"""Drives the emulator with python-cinderclient, a real third-party client of this API.

Usage: python lifecycle.py BASE_URL PROJECT_ID TOKEN [2|3]
       python lifecycle.py BASE_URL PROJECT_ID password:USER:PASSWORD [2|3]
On the v2 root (`cinderclient.v2`, the default) or the v3 root (`cinderclient.v3`, which sends
`OpenStack-API-Version: volume 3.0`). With a token, the endpoint is given; with a password,
the client is configured as operators configure it (the identity endpoint, a user, a
password and a project) and finds the endpoint in the token's service catalogue.
Creates, lists, shows, extends, reserves, attaches, detaches, flags, snapshots, sets metadata on, exports
to an image and deletes a volume, and
exits non-zero with a message at the first thing that does not behave as Cinder should.
"""
import importlib
import sys
import time

from cinderclient import exceptions
from keystoneauth1 import session
from keystoneauth1.identity import v3
from keystoneauth1.token_endpoint import Token


def wait(get, want, what, timeout=10.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        obj = get()
        if obj.status == want:
            return obj
        if obj.status.startswith("error"):
            sys.exit(f"{what} went to {obj.status}")
        time.sleep(0.05)
    sys.exit(f"{what} did not become {want} (last: {obj.status})")


def wait_gone(get, what, timeout=10.0):
    deadline = time.time() + timeout
    while True:
        try:
            get()
        except exceptions.NotFound:
            return
        if time.time() > deadline:
            sys.exit(f"{what} still readable after delete")
        time.sleep(0.05)


def main(base_url, project_id, token, version="2"):
    client = importlib.import_module(f"cinderclient.v{version}.client")
    if token.startswith("password:"):
        _, user, password = token.split(":", 2)
        auth = v3.Password(auth_url=f"{base_url}/identity/v3", username=user, password=password,
                           project_id=project_id, user_domain_name="Default",
                           project_domain_name="Default")
        service_type = "volumev3" if version == "3" else "volumev2"
        cinder = client.Client(session=session.Session(auth=auth), service_type=service_type)
    else:
        endpoint = f"{base_url}/v{version}/{project_id}"
        cinder = client.Client(session=session.Session(auth=Token(endpoint, token)))

    vol = cinder.volumes.create(size=1, name="cinderclient-vol", description="from python-cinderclient",
                                metadata={"owner": "cinderclient"})
    assert vol.status in ("creating", "available"), vol.status
    vol = wait(lambda: cinder.volumes.get(vol.id), "available", "new volume")
    assert vol.name == "cinderclient-vol" and vol.size == 1, vars(vol)

    listed = [v.id for v in cinder.volumes.list()]
    assert vol.id in listed, listed
    listed_brief = [v.id for v in cinder.volumes.list(detailed=False)]
    assert vol.id in listed_brief, listed_brief

    cinder.volumes.extend(vol, 2)
    vol = wait(lambda: cinder.volumes.get(vol.id), "available", "extended volume")
    assert vol.size == 2, vol.size

    # The rest of the /action family, as cinderclient sends it (detach sends attachment_id null).
    cinder.volumes.reserve(vol)
    wait(lambda: cinder.volumes.get(vol.id), "attaching", "reserved volume")
    cinder.volumes.unreserve(vol)
    wait(lambda: cinder.volumes.get(vol.id), "available", "unreserved volume")
    cinder.volumes.attach(vol, "11111111-2222-4333-8444-555555555555", "/dev/vdb")
    vol = wait(lambda: cinder.volumes.get(vol.id), "in-use", "attached volume")
    assert vol.attachments and vol.attachments[0]["device"] == "/dev/vdb", vol.attachments
    cinder.volumes.detach(vol)
    wait(lambda: cinder.volumes.get(vol.id), "available", "detached volume")
    cinder.volumes.set_bootable(vol, True)
    assert cinder.volumes.get(vol.id).bootable == "true"
    cinder.volumes.update_readonly_flag(vol, True)
    assert cinder.volumes.get(vol.id).metadata.get("readonly") == "True"
    cinder.volumes.update_readonly_flag(vol, False)

    cinder.volumes.set_metadata(vol, {"stage": "test"})
    meta = cinder.volumes.get(vol.id).metadata
    assert meta.get("stage") == "test" and meta.get("owner") == "cinderclient", meta
    cinder.volumes.delete_metadata(vol, ["owner"])
    meta = cinder.volumes.get(vol.id).metadata
    assert "owner" not in meta and meta.get("stage") == "test", meta

    snap = cinder.volume_snapshots.create(vol.id, name="cinderclient-snap")
    snap = wait(lambda: cinder.volume_snapshots.get(snap.id), "available", "snapshot")
    assert snap.volume_id == vol.id, vars(snap)
    assert snap.id in [s.id for s in cinder.volume_snapshots.list()]
    # Export to image (os-volume_upload_image); the volume shows uploading, then available.
    resp, body = cinder.volumes.upload_to_image(vol, False, "cinderclient-image", "bare", "vhd")
    upload = body["os-volume_upload_image"]
    assert upload["image_id"] and upload["image_name"] == "cinderclient-image", upload
    wait(lambda: cinder.volumes.get(vol.id), "available", "volume after export")

    cinder.volume_snapshots.delete(snap)

    wait_gone(lambda: cinder.volume_snapshots.get(snap.id), "snapshot")

    cinder.volumes.delete(vol)
    wait_gone(lambda: cinder.volumes.get(vol.id), "volume")

    try:
        cinder.volumes.create(size=0, name="bad")
        sys.exit("a volume of size 0 was accepted")
    except exceptions.BadRequest:
        pass
    print(f"python-cinderclient v{version} lifecycle: ok")


if __name__ == "__main__":
    main(*sys.argv[1:5])
