"""A local S3-protocol server for tests: moto's standalone server on loopback.

``object_store()`` starts ``moto_server`` (from the ``test`` extra, ``moto[server]``) on
127.0.0.1 and a free port, creates a bucket and yields its endpoint; it always stops
the server. Nothing leaves the machine: the credentials are fake and moto keeps the
objects in memory.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "test",
    "AWS_SECRET_ACCESS_KEY": "test",
    "AWS_DEFAULT_REGION": "eu-west-1",
}


@dataclass(frozen=True)
class ObjectStore:
    endpoint: str
    bucket: str

    def environment(self):
        """The variables production settings read for the bucket."""
        return {
            **FAKE_CREDENTIALS,
            "DJANGO_S3_ENDPOINT_URL": self.endpoint,
            "DJANGO_S3_BUCKET": self.bucket,
            "DJANGO_S3_ADDRESSING_STYLE": "path",
        }

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=FAKE_CREDENTIALS["AWS_DEFAULT_REGION"],
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def object_store(bucket="initiatiefloket-private", *, log=None, timeout=30):
    port = free_port()
    moto = Path(sys.executable).with_name("moto_server")
    output = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(
        [str(moto), "-H", HOST, "-p", str(port)],
        stdout=output,
        stderr=subprocess.STDOUT,
        env={**os.environ, **FAKE_CREDENTIALS},
        start_new_session=True,
    )
    try:
        endpoint = f"http://{HOST}:{port}"
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"moto_server stopped (exit {process.returncode})")
            try:
                urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=2).close()
                break
            except (urllib.error.URLError, OSError) as error:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"moto_server did not answer within {timeout} s"
                    ) from error
                time.sleep(0.2)
        store = ObjectStore(endpoint=endpoint, bucket=bucket)
        store.client().create_bucket(
            Bucket=bucket,
            CreateBucketConfiguration={
                "LocationConstraint": FAKE_CREDENTIALS["AWS_DEFAULT_REGION"]
            },
        )
        yield store
    finally:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        if log:
            output.close()
