"""Drives the emulator with the vendor's own Python SDKs (huaweicloudsdkevs, huaweicloudsdkims),
signing every request with AK/SK as their users do.

Usage: python sequence.py BASE_URL ACCESS_KEY SECRET_KEY PROJECT_ID
EVS: the Cinder calls of EvsClient (volume types, availability zones, quotas). IMS: an image
and a data image imported from OBS files, each followed with show_job until its job ends, the
image id read back from the job; then a request signed with a wrong secret key, which must be
refused with 401. Exits non-zero with a message at the first thing that does not behave as the
service should.
"""
import sys
import time

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions import exceptions
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkevs.v2 import (
    EvsClient,
    CinderListAvailabilityZonesRequest,
    CinderListQuotasRequest,
    CinderListVolumeTypesRequest,
)
from huaweicloudsdkims.v2 import (
    ImsClient,
    CreateDataImageRequest,
    CreateDataImageRequestBody,
    CreateImageRequest,
    CreateImageRequestBody,
    ShowJobRequest,
)

base, ak, sk, project = sys.argv[1:5]


def build(client_class, secret=sk):
    config = HttpConfig.get_default_config()
    config.retry_times = 0
    return (
        client_class.new_builder()
        .with_credentials(BasicCredentials(ak, secret, project))
        .with_endpoints([base])
        .with_http_config(config)
        .build()
    )


def follow(ims, job_id, what, timeout=20.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        job = ims.show_job(ShowJobRequest(job_id=job_id))
        if job.status == "SUCCESS":
            return job
        if job.status == "FAIL":
            sys.exit(f"{what}: job {job_id} failed: {job.fail_reason}")
        time.sleep(0.05)
    sys.exit(f"{what}: job {job_id} did not end (last: {job.status})")


evs = build(EvsClient)
types = evs.cinder_list_volume_types(CinderListVolumeTypesRequest()).volume_types
if not types or not all(t.name for t in types):
    sys.exit(f"volume types: {types}")
zones = evs.cinder_list_availability_zones(CinderListAvailabilityZonesRequest()).availability_zone_info
if not zones or not zones[0].zone_state.available:
    sys.exit(f"availability zones: {zones}")
quota = evs.cinder_list_quotas(CinderListQuotasRequest(target_project_id=project, usage="True")).quota_set
if quota.volumes.limit <= 0:
    sys.exit(f"quotas: {quota}")
print(f"evs: {len(types)} types, zone {zones[0].zone_name}, volume quota {quota.volumes.limit}")

ims = build(ImsClient)
body = CreateImageRequestBody(
    name="sdk-image",
    image_url="sdk-bucket:centos.qcow2",
    min_disk=40,
    os_version="CentOS 7.0 64bit",
)
job_id = ims.create_image(CreateImageRequest(body=body)).job_id
image = follow(ims, job_id, "create_image")
image_id = image.entities.image_id
if not image_id:
    sys.exit(f"create_image: the job names no image: {image}")

body = CreateDataImageRequestBody(
    name="sdk-data-image", image_url="sdk-bucket:data.qcow2", min_disk=40, os_type="Linux"
)
job_id = ims.create_data_image(CreateDataImageRequest(body=body)).job_id
data_image = follow(ims, job_id, "create_data_image")
print(f"ims: image {image_id}, data image job {job_id} {data_image.status}")

try:
    build(EvsClient, secret="not-the-secret").cinder_list_volume_types(CinderListVolumeTypesRequest())
    sys.exit("a request signed with a wrong secret key was served")
except exceptions.ClientRequestException as e:
    if e.status_code != 401:
        sys.exit(f"a wrong signature got {e.status_code}, not 401: {e.error_msg}")

print("sequence: ok")
