#!/usr/bin/python3
"""A minimal CRI client for the engine tests.

Usage: cri_client.py GENDIR SOCKET METHOD [JSON_REQUEST]

GENDIR holds api_pb2.py, generated with protoc --python_out from the CRI
api.proto. METHOD is a RuntimeService or ImageService method name
(RunPodSandbox, CreateContainer, ExecSync, ListImages, ...); the request is
the JSON form of its request message, the answer is printed as JSON. Exits
1 with the gRPC status on errors.
"""
import json
import sys

sys.path.insert(0, sys.argv[1])

import grpc  # noqa: E402
from google.protobuf import json_format  # noqa: E402

import api_pb2  # noqa: E402

IMAGE_METHODS = {"ListImages", "ImageStatus", "PullImage", "RemoveImage", "ImageFsInfo"}


def main():
    sock, method = sys.argv[2], sys.argv[3]
    body = sys.argv[4] if len(sys.argv) > 4 else "{}"
    service = "ImageService" if method in IMAGE_METHODS else "RuntimeService"
    req_cls = getattr(api_pb2, method + "Request")
    resp_cls = getattr(api_pb2, method + "Response")
    req = json_format.Parse(body, req_cls())
    with grpc.insecure_channel("unix://" + sock) as ch:
        call = ch.unary_unary(
            "/runtime.v1.%s/%s" % (service, method),
            request_serializer=req_cls.SerializeToString,
            response_deserializer=resp_cls.FromString,
        )
        try:
            resp = call(req, timeout=60)
        except grpc.RpcError as e:
            print("%s: %s: %s" % (method, e.code().name, e.details()), file=sys.stderr)
            return 1
    print(json.dumps(json_format.MessageToDict(resp), sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
