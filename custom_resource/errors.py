"""The one error tree of the project: every failure the core reports is a SnapshotScheduleError."""

from __future__ import annotations


class SnapshotScheduleError(Exception):
    """Root of every error the core raises on purpose."""


class SpecError(SnapshotScheduleError, ValueError):
    """A value is not accepted; str() names the field, the value and what is accepted."""

    def __init__(self, field: str, value: object, accepted: str, reason: str = "") -> None:
        self.field = field
        self.value = value
        self.accepted = accepted
        self.reason = reason
        message = f"{field} must be {accepted}, got {value!r}"
        super().__init__(f"{message} ({reason})" if reason else message)


class AwsError(SnapshotScheduleError):
    """An AWS call failed; .code is the AWS error code and .operation the API operation."""

    def __init__(self, message: str, *, code: str, operation: str) -> None:
        self.code = code
        self.operation = operation
        super().__init__(message)


class NamespaceNotFound(SnapshotScheduleError):
    """The namespace does not exist (or is being deleted)."""

    def __init__(self, namespace_name: str, detail: str = "does not exist") -> None:
        self.namespace_name = namespace_name
        super().__init__(f"Namespace {namespace_name!r} {detail}")


class NamespaceNotReady(SnapshotScheduleError):
    """The namespace did not become AVAILABLE in the attempts or time allowed."""

    def __init__(self, namespace_name: str, status: str | None, attempts: int) -> None:
        self.namespace_name = namespace_name
        self.status = status
        self.attempts = attempts
        super().__init__(
            f"Namespace {namespace_name!r} is still {status or 'of unknown status'} "
            f"after {attempts} attempt(s); expected AVAILABLE"
        )


class OwnershipError(SnapshotScheduleError):
    """The object exists and belongs to someone else; .owner says whom ("foreign" if unmarked)."""

    def __init__(self, message: str, *, owner: str) -> None:
        self.owner = owner
        super().__init__(message)


class OutOfTime(SnapshotScheduleError):
    """A retry would run past the invocation's deadline."""
