"""A local stand-in for CloudFormation that drives a custom resource handler.

It sends real-shaped requests (every property value stringified, as CloudFormation does), serves
each request's ``ResponseURL`` on a loopback HTTPS server with its own certificate authority,
and returns the response the handler PUT there. When the handler hands a request over to
crhelper's polling, the driver plays EventBridge: it reads the rule and target crhelper created
(in moto) and invokes the handler with the target's ``Input`` until a response arrives. Each
stack exists in moto's CloudFormation too, and ``Stack`` moves its status as CloudFormation
would (``UPDATE_ROLLBACK_IN_PROGRESS`` while it sends rollback Updates), so the handler can read
it with DescribeStacks.

Typical use, inside ``mock_aws`` (or with boto3 pointed at a moto server)::

    with CloudFormationDriver() as driver:
        stack = Stack(driver, "orders")
        created = stack.create("Schedule", {"NamespaceName": "orders"})
        assert created.status == "CREATE_COMPLETE", created.response.reason
        stack.update("Schedule", {"NamespaceName": "orders", "RetentionPeriod": 14})
        stack.delete("Schedule")

While a driver is open, ``SSL_CERT_FILE`` names its certificate authority, so the handler's
default TLS verification accepts the loopback server; nothing in the handler is relaxed.
"""

from __future__ import annotations

import datetime
import functools
import io
import ipaddress
import json
import os
import secrets
import ssl
import tempfile
import threading
import uuid
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

import boto3
from botocore.exceptions import ClientError
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from tests.support.lambda_context import FakeLambdaContext

RESOURCE_TYPE = "Custom::ServerlessSnapshotSchedule"
ACCOUNT_ID = "123456789012"
EVENTBRIDGE_INPUT_LIMIT = 8192

Handler = Callable[[dict[str, Any], Any], Any]


class DriverError(AssertionError):
    """The handler did something CloudFormation or EventBridge would not accept."""


@dataclass(frozen=True)
class CfnResponse:
    """What the handler PUT to the ResponseURL, next to the request that caused it."""

    status: str
    reason: str
    physical_resource_id: str
    data: dict[str, Any]
    no_echo: bool
    body: dict[str, Any]
    request: dict[str, Any]

    @classmethod
    def parse(cls, body: dict[str, Any], request: dict[str, Any]) -> CfnResponse:
        return cls(
            status=str(body.get("Status", "")),
            reason=str(body.get("Reason", "")),
            physical_resource_id=str(body.get("PhysicalResourceId", "")),
            data=dict(body.get("Data") or {}),
            no_echo=bool(body.get("NoEcho", False)),
            body=body,
            request=request,
        )

    @property
    def request_type(self) -> str:
        return str(self.request["RequestType"])


# --- certificates and the loopback HTTPS server ---------------------------------------------


@dataclass(frozen=True)
class LoopbackCertificate:
    """A throw-away certificate authority and a server certificate for 127.0.0.1/localhost."""

    ca_file: Path
    cert_file: Path
    key_file: Path

    @classmethod
    def create(cls, directory: Path) -> LoopbackCertificate:
        now = datetime.datetime.now(datetime.UTC)
        validity = (now - datetime.timedelta(hours=1), now + datetime.timedelta(days=2))

        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "cfn-driver test CA")])
        ca_cert = (
            _certificate_builder(ca_name, ca_name, ca_key.public_key(), validity)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_key_usage(cert_sign=True), critical=True)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                critical=False,
            )
            .sign(ca_key, hashes.SHA256())
        )

        server_key = ec.generate_private_key(ec.SECP256R1())
        server_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
        alternative_names = x509.SubjectAlternativeName(
            [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
        )
        server_cert = (
            _certificate_builder(server_name, ca_name, server_key.public_key(), validity)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_key_usage(cert_sign=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(alternative_names, critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                critical=False,
            )
            .sign(ca_key, hashes.SHA256())
        )

        certificate = cls(
            ca_file=directory / "ca.pem",
            cert_file=directory / "server.pem",
            key_file=directory / "server-key.pem",
        )
        certificate.ca_file.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
        certificate.cert_file.write_bytes(server_cert.public_bytes(serialization.Encoding.PEM))
        certificate.key_file.write_bytes(
            server_key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        return certificate


def _certificate_builder(
    subject: x509.Name,
    issuer: x509.Name,
    public_key: ec.EllipticCurvePublicKey,
    validity: tuple[datetime.datetime, datetime.datetime],
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(validity[0])
        .not_valid_after(validity[1])
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


class ResponseServer:
    """A loopback HTTPS server that keeps every body PUT to ``/responses/<request id>``."""

    def __init__(self, certificate: LoopbackCertificate) -> None:
        self.certificate = certificate
        self._bodies: dict[str, list[dict[str, Any]]] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._request_handler())
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certificate.cert_file, certificate.key_file)
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        # A short poll interval keeps close() quick: shutdown waits for the loop to notice.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def url_for(self, request_id: str) -> str:
        """A pre-signed-looking URL; the signature is random, as secret as the real one."""
        port = self._server.server_address[1]
        signature = secrets.token_hex(32)
        return (
            f"https://127.0.0.1:{port}/responses/{request_id}"
            f"?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=7200&X-Amz-Signature={signature}"
        )

    def bodies_for(self, request_id: str) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._bodies.get(request_id, []))

    def _request_handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class _Handler(BaseHTTPRequestHandler):
            def do_PUT(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                request_id = self.path.split("?", 1)[0].rsplit("/", 1)[-1]
                with server._lock:
                    server._bodies.setdefault(request_id, []).append(body)
                self.send_response(200)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep test output clean; the bodies are what matters

        return _Handler


# --- the driver -------------------------------------------------------------------------------


def stringify_properties(value: Any) -> Any:
    """Property values as CloudFormation delivers them: every scalar a string."""
    if isinstance(value, Mapping):
        return {str(key): stringify_properties(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [stringify_properties(item) for item in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class CloudFormationDriver:
    """Sends CloudFormation requests to ``handler`` and returns the responses it PUT.

    The driver is a context manager: entering starts the loopback server, trusts its
    certificate authority through ``SSL_CERT_FILE`` and makes sure the function exists in
    (moto's) Lambda, which crhelper's polling needs for ``AddPermission``; leaving undoes it.
    """

    def __init__(
        self,
        handler: Handler | None = None,
        *,
        region: str = "eu-west-1",
        function_name: str = "snapshot-schedule-function",
        timeout_seconds: float = 30.0,
        max_polls: int = 20,
        before_poll: Callable[[int], None] | None = None,
        certificate_directory: Path | None = None,
    ) -> None:
        """``timeout_seconds`` is each invocation's Lambda timeout; ``max_polls`` bounds how
        often a polling request is invoked; ``before_poll(n)`` runs before the n-th poll."""
        if handler is None:
            from custom_resource.handler import handler as product_handler

            handler = product_handler
        self.handler = handler
        self.region = region
        self.function_name = function_name
        self.timeout_seconds = timeout_seconds
        self.max_polls = max_polls
        self.before_poll = before_poll
        self._certificate_directory = certificate_directory
        self._temporary: tempfile.TemporaryDirectory[str] | None = None
        self._server: ResponseServer | None = None
        self._previous_cert_file: str | None = None
        self.history: list[CfnResponse] = []
        self._stack_ids: dict[str, str] = {}

    # lifecycle

    def __enter__(self) -> CloudFormationDriver:
        directory = self._certificate_directory
        if directory is None:
            self._temporary = tempfile.TemporaryDirectory(prefix="cfn-driver-")
            directory = Path(self._temporary.name)
        certificate = LoopbackCertificate.create(directory)
        self._server = ResponseServer(certificate)
        self._server.start()
        self._previous_cert_file = os.environ.get("SSL_CERT_FILE")
        os.environ["SSL_CERT_FILE"] = str(certificate.ca_file)
        try:
            self.ensure_function()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._previous_cert_file is None:
            os.environ.pop("SSL_CERT_FILE", None)
        else:
            os.environ["SSL_CERT_FILE"] = self._previous_cert_file
        if self._server is not None:
            self._server.close()
        if self._temporary is not None:
            self._temporary.cleanup()

    def client(self, service: str) -> Any:
        """A boto3 client of the driver's region (shared by drivers: clients are costly)."""
        return _client(service, self.region)

    @property
    def function_arn(self) -> str:
        return f"arn:aws:lambda:{self.region}:{ACCOUNT_ID}:function:{self.function_name}"

    def stack_id(self, stack_name: str) -> str:
        """The id of the stack called ``stack_name``, made in (moto's) CloudFormation, with
        no resources of its own, on first use."""
        if stack_name not in self._stack_ids:
            cloudformation = self.client("cloudformation")
            try:
                found = cloudformation.describe_stacks(StackName=stack_name)["Stacks"]
            except ClientError:
                found = []
            self._stack_ids[stack_name] = (
                found[0]["StackId"]
                if found
                else cloudformation.create_stack(
                    StackName=stack_name, TemplateBody=json.dumps({"Resources": {}})
                )["StackId"]
            )
        return self._stack_ids[stack_name]

    def set_stack_status(self, stack_name: str, status: str) -> None:
        """Make DescribeStacks report ``status`` for the stack (moto's CloudFormation runs no
        custom resources, so it never moves the status itself)."""
        from moto.cloudformation.models import cloudformation_backends

        stack_id = self.stack_id(stack_name)
        cloudformation_backends[ACCOUNT_ID][self.region].stacks[stack_id].status = status

    def delete_stack(self, stack_name: str) -> None:
        """Delete the stack: a stack created again under its name gets a new id."""
        stack_id = self._stack_ids.pop(stack_name, None)
        if stack_id is not None:
            self.client("cloudformation").delete_stack(StackName=stack_id)

    def ensure_function(self) -> None:
        """Create the function (and its role) in Lambda unless it exists; idempotent."""
        lambda_client = self.client("lambda")
        try:
            lambda_client.get_function(FunctionName=self.function_name)
            return
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ResourceNotFoundException":
                raise

        iam = self.client("iam")
        role_name = f"{self.function_name}-role"
        try:
            role_arn = iam.get_role(RoleName=role_name)["Role"]["Arn"]
        except ClientError:
            role_arn = iam.create_role(
                RoleName=role_name,
                AssumeRolePolicyDocument=json.dumps(
                    {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": {"Service": "lambda.amazonaws.com"},
                                "Action": "sts:AssumeRole",
                            }
                        ],
                    }
                ),
            )["Role"]["Arn"]
        lambda_client.create_function(
            FunctionName=self.function_name,
            Runtime="python3.12",
            Role=role_arn,
            Handler="custom_resource.handler.handler",
            Code={"ZipFile": _placeholder_zip()},
            Timeout=int(self.timeout_seconds),
        )

    # requests

    def build_event(
        self,
        request_type: str,
        logical_resource_id: str,
        properties: Mapping[str, Any],
        *,
        stack_name: str = "test-stack",
        physical_resource_id: str | None = None,
        old_properties: Mapping[str, Any] | None = None,
        resource_type: str = RESOURCE_TYPE,
    ) -> dict[str, Any]:
        """A request as CloudFormation sends it; ``properties`` are stringified and get the
        ServiceToken, as they do in CloudFormation."""
        server = self._require_server()
        request_id = str(uuid.uuid4())
        event: dict[str, Any] = {
            "RequestType": request_type,
            "ServiceToken": self.function_arn,
            "ResponseURL": server.url_for(request_id),
            "StackId": self.stack_id(stack_name),
            "RequestId": request_id,
            "LogicalResourceId": logical_resource_id,
            "ResourceType": resource_type,
            "ResourceProperties": self._with_token(properties),
        }
        if physical_resource_id is not None:
            event["PhysicalResourceId"] = physical_resource_id
        if old_properties is not None:
            event["OldResourceProperties"] = self._with_token(old_properties)
        return event

    def send(
        self,
        request_type: str,
        logical_resource_id: str,
        properties: Mapping[str, Any],
        *,
        stack_name: str = "test-stack",
        physical_resource_id: str | None = None,
        old_properties: Mapping[str, Any] | None = None,
        timeout_seconds: float | None = None,
    ) -> CfnResponse:
        """Send one request and return its response, polling as EventBridge would if needed.

        Raises DriverError when no response arrives within ``max_polls`` polls, or when more
        than one response is sent for the request.
        """
        event = self.build_event(
            request_type,
            logical_resource_id,
            properties,
            stack_name=stack_name,
            physical_resource_id=physical_resource_id,
            old_properties=old_properties,
        )
        return self.send_event(event, timeout_seconds=timeout_seconds)

    def send_event(
        self, event: dict[str, Any], *, timeout_seconds: float | None = None
    ) -> CfnResponse:
        """Invoke the handler with a prepared request; see ``send``."""
        request_id = str(event["RequestId"])
        self.invoke(json.loads(json.dumps(event)), timeout_seconds=timeout_seconds)

        polls = 0
        while not self._require_server().bodies_for(request_id):
            target_input = self.polling_input(request_id)
            if target_input is None:
                raise DriverError(
                    f"{event['RequestType']} got no response and no polling was set up"
                )
            if polls >= self.max_polls:
                raise DriverError(f"{event['RequestType']} got no response after {polls} polls")
            polls += 1
            if self.before_poll is not None:
                self.before_poll(polls)
            self.invoke(json.loads(target_input))

        bodies = self._require_server().bodies_for(request_id)
        if len(bodies) > 1:
            raise DriverError(f"{len(bodies)} responses for one request: {bodies}")
        response = CfnResponse.parse(bodies[0], event)
        self.history.append(response)
        return response

    def invoke(self, event: dict[str, Any], *, timeout_seconds: float | None = None) -> None:
        """One Lambda invocation of the handler, with a fresh context and deadline."""
        context = FakeLambdaContext(
            timeout_seconds=timeout_seconds or self.timeout_seconds,
            function_name=self.function_name,
            aws_request_id=str(uuid.uuid4()),
            invoked_function_arn=self.function_arn,
        )
        self.handler(event, context)

    def responses_to(self, event: Mapping[str, Any]) -> list[CfnResponse]:
        """Every response PUT for ``event`` so far, in order (a real Lambda would have been
        stopped at its deadline: only the first one counts)."""
        bodies = self._require_server().bodies_for(str(event["RequestId"]))
        return [CfnResponse.parse(body, dict(event)) for body in bodies]

    # what crhelper's polling left in EventBridge and Lambda

    def polling_input(self, request_id: str) -> str | None:
        """The Input of the polling target for ``request_id``, or None when there is none.

        Raises DriverError for an Input EventBridge would refuse (over 8192 characters).
        """
        events = self.client("events")
        for rule_name in self.polling_rules():
            targets = events.list_targets_by_rule(Rule=rule_name)["Targets"]
            for target in targets:
                text = target.get("Input", "")
                if not text or json.loads(text).get("RequestId") != request_id:
                    continue
                if len(text) > EVENTBRIDGE_INPUT_LIMIT:
                    raise DriverError(
                        f"EventBridge refuses an Input of {len(text)} characters "
                        f"(limit {EVENTBRIDGE_INPUT_LIMIT})"
                    )
                return str(text)
        return None

    def polling_rules(self) -> list[str]:
        """Names of the EventBridge rules that target the function, and of ``rate()`` rules
        left without any target (what a half-finished polling cleanup leaves)."""
        events = self.client("events")
        names = []
        for rule in _iter_rules(events):
            targets = events.list_targets_by_rule(Rule=rule["Name"])["Targets"]
            leftover = not targets and rule.get("ScheduleExpression", "").startswith("rate(")
            if leftover or any(target["Arn"] == self.function_arn for target in targets):
                names.append(str(rule["Name"]))
        return names

    def function_permissions(self) -> list[str]:
        """Statement ids of the function's resource policy (crhelper adds one per poll)."""
        lambda_client = self.client("lambda")
        try:
            policy = lambda_client.get_policy(FunctionName=self.function_name)["Policy"]
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ResourceNotFoundException":
                return []
            raise
        return [str(statement["Sid"]) for statement in json.loads(policy).get("Statement", [])]

    def _with_token(self, properties: Mapping[str, Any]) -> dict[str, Any]:
        return {"ServiceToken": self.function_arn, **stringify_properties(properties)}

    def _require_server(self) -> ResponseServer:
        if self._server is None:
            raise DriverError("use the driver as a context manager: with CloudFormationDriver()")
        return self._server


@functools.lru_cache(maxsize=16)
def _client(service: str, region: str) -> Any:
    return boto3.client(service, region_name=region)  # type: ignore[call-overload]


def _iter_rules(events: Any) -> Iterator[dict[str, Any]]:
    token: str | None = None
    while True:
        page = events.list_rules(**({"NextToken": token} if token else {}))
        yield from page.get("Rules", [])
        token = page.get("NextToken")
        if not token:
            return


def _placeholder_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("placeholder.py", "def handler(event, context):\n    return None\n")
    return buffer.getvalue()


# --- a tiny stack -----------------------------------------------------------------------------


@dataclass
class StackResource:
    """One logical resource as CloudFormation tracks it."""

    logical_id: str
    properties: dict[str, Any]
    physical_id: str


@dataclass
class StackOperation:
    """The outcome of one stack operation and every request it sent, in order."""

    status: str
    responses: list[CfnResponse] = field(default_factory=list)

    @property
    def response(self) -> CfnResponse:
        """The response to the operation's first request (Create, Update or Delete)."""
        return self.responses[0]

    @property
    def request_types(self) -> list[str]:
        return [response.request_type for response in self.responses]


class Stack:
    """A one-template stack of custom resources, following CloudFormation's request rules.

    - create: Create; on FAILED, the rollback Delete of the id the failed response carried.
    - update: no request when the properties are unchanged; Update; on SUCCESS with a new
      physical id (a replacement), the cleanup Delete of the old id with the old properties.
      On FAILED, or with ``fail_after=True`` (another resource failed later), the rollback
      Update back to the old properties, then the cleanup Delete of a replacement's id.
    - delete: Delete; the resource is forgotten when it succeeds, and the stack with its last
      resource.

    Before each request the stack takes the status CloudFormation gives it then (for instance
    ``UPDATE_ROLLBACK_IN_PROGRESS`` for a rollback Update, ``..._CLEANUP_IN_PROGRESS`` for a
    cleanup Delete); after the operation, its outcome.
    """

    def __init__(self, driver: CloudFormationDriver, name: str = "test-stack") -> None:
        self.driver = driver
        self.name = name
        self.resources: dict[str, StackResource] = {}

    @property
    def stack_id(self) -> str:
        return self.driver.stack_id(self.name)

    def physical_id(self, logical_id: str) -> str:
        return self.resources[logical_id].physical_id

    def create(self, logical_id: str, properties: Mapping[str, Any]) -> StackOperation:
        self._status("UPDATE_IN_PROGRESS" if self.resources else "CREATE_IN_PROGRESS")
        created = self._send("Create", logical_id, properties)
        if created.status == "SUCCESS":
            self.resources[logical_id] = StackResource(
                logical_id, dict(properties), created.physical_resource_id
            )
            return self._done(StackOperation("CREATE_COMPLETE", [created]))

        self._status("ROLLBACK_IN_PROGRESS")
        rolled_back = self._send(
            "Delete", logical_id, properties, physical_resource_id=created.physical_resource_id
        )
        status = "ROLLBACK_COMPLETE" if rolled_back.status == "SUCCESS" else "ROLLBACK_FAILED"
        return self._done(StackOperation(status, [created, rolled_back]))

    def update(
        self, logical_id: str, properties: Mapping[str, Any], *, fail_after: bool = False
    ) -> StackOperation:
        current = self.resources[logical_id]
        if stringify_properties(properties) == stringify_properties(current.properties):
            return StackOperation("UPDATE_COMPLETE")

        self._status("UPDATE_IN_PROGRESS")
        updated = self._send(
            "Update",
            logical_id,
            properties,
            physical_resource_id=current.physical_id,
            old_properties=current.properties,
        )
        if updated.status == "SUCCESS" and not fail_after:
            operation = StackOperation("UPDATE_COMPLETE", [updated])
            if updated.physical_resource_id != current.physical_id:
                self._status("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS")
                operation.responses.append(self._cleanup(current))
            self.resources[logical_id] = StackResource(
                logical_id, dict(properties), updated.physical_resource_id
            )
            return self._done(operation)

        # Rollback: back to the old properties, from whatever id the resource has now.
        now_id = (
            updated.physical_resource_id if updated.status == "SUCCESS" else current.physical_id
        )
        self._status("UPDATE_ROLLBACK_IN_PROGRESS")
        rolled_back = self._send(
            "Update",
            logical_id,
            current.properties,
            physical_resource_id=now_id,
            old_properties=properties,
        )
        operation = StackOperation(
            "UPDATE_ROLLBACK_COMPLETE"
            if rolled_back.status == "SUCCESS"
            else "UPDATE_ROLLBACK_FAILED",
            [updated, rolled_back],
        )
        if rolled_back.status == "SUCCESS" and now_id != rolled_back.physical_resource_id:
            self._status("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS")
            operation.responses.append(
                self._cleanup(StackResource(logical_id, dict(properties), now_id))
            )
        if rolled_back.status == "SUCCESS":
            current.physical_id = rolled_back.physical_resource_id
        return self._done(operation)

    def delete(self, logical_id: str) -> StackOperation:
        current = self.resources[logical_id]
        self._status("DELETE_IN_PROGRESS" if len(self.resources) == 1 else "UPDATE_IN_PROGRESS")
        deleted = self._send(
            "Delete", logical_id, current.properties, physical_resource_id=current.physical_id
        )
        if deleted.status != "SUCCESS":
            return self._done(StackOperation("DELETE_FAILED", [deleted]))
        del self.resources[logical_id]
        if not self.resources:
            self.driver.delete_stack(self.name)
            return StackOperation("DELETE_COMPLETE", [deleted])
        return self._done(StackOperation("DELETE_COMPLETE", [deleted]), status="UPDATE_COMPLETE")

    def _status(self, status: str) -> None:
        self.driver.set_stack_status(self.name, status)

    def _done(self, operation: StackOperation, *, status: str | None = None) -> StackOperation:
        self._status(status or operation.status)
        return operation

    def _cleanup(self, old: StackResource) -> CfnResponse:
        return self._send(
            "Delete", old.logical_id, old.properties, physical_resource_id=old.physical_id
        )

    def _send(
        self,
        request_type: str,
        logical_id: str,
        properties: Mapping[str, Any],
        *,
        physical_resource_id: str | None = None,
        old_properties: Mapping[str, Any] | None = None,
    ) -> CfnResponse:
        return self.driver.send(
            request_type,
            logical_id,
            properties,
            stack_name=self.name,
            physical_resource_id=physical_resource_id,
            old_properties=old_properties,
        )
