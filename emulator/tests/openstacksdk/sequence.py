"""Drives the emulator with openstacksdk, a real third-party client of this API.

Usage: python sequence.py BASE_URL PROJECT_ID TOKEN|clouds:CLOUDS_YAML [API_VERSION]
With no API_VERSION openstacksdk runs on its defaults: it discovers the block-storage
versions at the endpoint and settles on v3. With API_VERSION 2 it is forced to v2.
Creates, waits for, reads back, extends, tags, snapshots and deletes a volume, reads the
catalogue (types, zones, quotas), and exits non-zero at the first thing that does not
behave as Cinder should.
"""
import os
import sys

import openstack
from openstack import exceptions


def main(base_url, project_id, token, api_version=None):
    root = f"v{api_version or 3}"
    if token.startswith("clouds:"):
        # The ordinary way: a clouds.yaml naming the identity endpoint and a password; the
        # block-storage endpoint comes from the token's catalogue.
        os.environ["OS_CLIENT_CONFIG_FILE"] = token[len("clouds:"):]
        settings = {"cloud": "emulator"}
    else:
        settings = {
            "auth_type": "admin_token",
            "auth": {"token": token, "endpoint": f"{base_url}/{root}/{project_id}"},
            "block_storage_endpoint_override": f"{base_url}/{root}/{project_id}",
        }
    if api_version:
        settings["block_storage_api_version"] = api_version
    conn = openstack.connect(**settings)
    bs = conn.block_storage
    proxy = type(bs).__module__
    assert proxy == f"openstack.block_storage.{root}._proxy", f"openstacksdk chose {proxy}"
    assert f"/{root}/" in bs.get_endpoint() + "/", bs.get_endpoint()

    types = [t.name for t in bs.types()]
    assert "SATA" in types, types
    if root == "v3":  # openstacksdk's v2 proxy has no availability zones
        zones = [z.name for z in bs.availability_zones()]
        assert zones, "no availability zones"

    vol = bs.create_volume(size=1, name="openstacksdk-vol", description="from openstacksdk",
                           metadata={"owner": "openstacksdk"})
    vol = bs.wait_for_status(vol, status="available", failures=["error"], interval=0.05, wait=20)
    got = bs.get_volume(vol.id)
    assert got.name == "openstacksdk-vol" and got.size == 1, got
    assert got.metadata.get("owner") == "openstacksdk", got.metadata
    assert vol.id in [v.id for v in bs.volumes(details=True)]
    assert vol.id in [v.id for v in bs.volumes(details=False)]

    bs.extend_volume(vol, 2)
    # wait_for_status trusts the status it holds ("available"), so the volume is read anew.
    vol = bs.wait_for_status(bs.get_volume(vol.id), status="available",
                             failures=["error", "error_extending"], interval=0.05, wait=20)
    assert bs.get_volume(vol.id).size == 2, "the extension did not show"

    bs.update_volume(vol, name="openstacksdk-renamed")
    assert bs.get_volume(vol.id).name == "openstacksdk-renamed"
    bs.set_volume_metadata(vol, stage="test")
    meta = bs.get_volume_metadata(vol).metadata
    assert meta.get("stage") == "test" and meta.get("owner") == "openstacksdk", meta
    bs.delete_volume_metadata(vol, keys=["owner"])
    meta = bs.get_volume_metadata(vol).metadata
    assert "owner" not in meta, meta

    if root == "v3":  # the /action family on the v3 root, as openstacksdk sends it
        bs.reserve_volume(vol)
        bs.wait_for_status(bs.get_volume(vol.id), status="attaching", interval=0.05, wait=20)
        bs.unreserve_volume(vol)
        bs.wait_for_status(bs.get_volume(vol.id), status="available", interval=0.05, wait=20)
        bs.set_volume_bootable_status(vol, True)
        assert bs.get_volume(vol.id).is_bootable, "bootable did not show"
        bs.set_volume_readonly(vol, True)
        assert bs.get_volume(vol.id).metadata.get("readonly") == "True"
        bs.set_volume_readonly(vol, False)
        upload = bs.upload_volume_to_image(vol, "openstacksdk-image", disk_format="vhd",
                                           container_format="bare")
        assert upload["image_id"], upload
        bs.wait_for_status(bs.get_volume(vol.id), status="available", interval=0.05, wait=20)

    snap = bs.create_snapshot(volume_id=vol.id, name="openstacksdk-snap")
    snap = bs.wait_for_status(snap, status="available", failures=["error"], interval=0.05, wait=20)
    assert snap.volume_id == vol.id, snap
    assert snap.id in [s.id for s in bs.snapshots(details=True)]
    bs.delete_snapshot(snap)
    bs.wait_for_delete(snap, interval=0.05, wait=20)

    quota = bs.get_quota_set(project_id)
    assert quota.volumes is not None and quota.volumes > 0, quota

    bs.delete_volume(vol)
    bs.wait_for_delete(vol, interval=0.05, wait=20)
    try:
        bs.get_volume(vol.id)
        sys.exit("a deleted volume is still readable")
    except exceptions.NotFoundException:
        pass
    try:
        bs.create_volume(size=0, name="bad")
        sys.exit("a volume of size 0 was accepted")
    except exceptions.BadRequestException:
        pass
    print(f"openstacksdk {root} sequence: ok")


if __name__ == "__main__":
    main(*sys.argv[1:5])
