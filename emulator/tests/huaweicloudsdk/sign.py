"""Prints the Authorization header huaweicloudsdkcore's Signer computes for a fixed request.

Usage: python sign.py ACCESS_KEY SECRET_KEY DATE
The request: POST http://127.0.0.1:8776/v2/p1/volumes?limit=2&a=b c&name=卷 with a JSON body
and the headers Content-Type, X-Project-Id and X-Security-Token, signed at DATE.
"""
import sys

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer

ak, sk, date = sys.argv[1:4]
request = SdkRequest(
    method="POST",
    schema="http",
    host="127.0.0.1:8776",
    resource_path="/v2/p1/volumes",
    query_params=[("limit", 2), ("a", "b c"), ("name", "卷")],
    header_params={
        "Content-Type": "application/json",
        "X-Project-Id": "p1",
        "X-Security-Token": "temporary-token",
        "X-Sdk-Date": date,
    },
    body='{"volume": {"size": 1}}',
)
signed = Signer(BasicCredentials(ak, sk, "p1")).sign(request)
print(signed.header_params["Authorization"])
