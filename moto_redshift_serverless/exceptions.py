"""Errors the emulated Redshift Serverless service answers, named after the AWS error codes."""

from __future__ import annotations

from moto.core.exceptions import ServiceException


class RedshiftServerlessClientError(ServiceException):
    """Root of the emulator's service errors."""


class ValidationException(RedshiftServerlessClientError):
    """The request failed a constraint of the API."""

    code = "ValidationException"


class ResourceNotFoundException(RedshiftServerlessClientError):
    """The named resource does not exist."""

    code = "ResourceNotFoundException"

    def __init__(self, message: str, resource_name: str | None = None) -> None:
        super().__init__(message)
        if resource_name is not None:
            self.resourceName = resource_name


class ConflictException(RedshiftServerlessClientError):
    """The request conflicts with the current state of a resource."""

    code = "ConflictException"


class InvalidPaginationException(RedshiftServerlessClientError):
    """The nextToken is not one this service handed out."""

    code = "InvalidPaginationException"


class TooManyTagsException(RedshiftServerlessClientError):
    """A resource would carry more tags than allowed."""

    code = "TooManyTagsException"


class ThrottlingException(RedshiftServerlessClientError):
    """The caller exceeded the request rate (fault injection)."""

    code = "ThrottlingException"


class InternalServerException(RedshiftServerlessClientError):
    """The service failed (fault injection)."""

    code = "InternalServerException"


# moto finds an error's service model from the error's module path ("moto.<service>...");
# report the path under which register() mounts this package.
for _error in (
    RedshiftServerlessClientError,
    ValidationException,
    ResourceNotFoundException,
    ConflictException,
    InvalidPaginationException,
    TooManyTagsException,
    ThrottlingException,
    InternalServerException,
):
    _error.__module__ = "moto.redshiftserverless.exceptions"
