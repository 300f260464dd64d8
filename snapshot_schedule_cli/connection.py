"""Where the command line talks to: profile, regions and endpoint, checked before any call."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import boto3

from custom_resource.aws import redshift_serverless_client
from snapshot_schedule_cli.problems import OperatorError

if TYPE_CHECKING:
    from mypy_boto3_redshift_serverless import RedshiftServerlessClient

SERVICE_NAME = "redshift-serverless"


@dataclass(frozen=True)
class Connection:
    """The operator's profile, the regions asked for and an optional endpoint override."""

    profile: str | None
    requested_regions: tuple[str, ...]
    endpoint_url: str | None

    @cached_property
    def session(self) -> boto3.Session:
        """The boto3 session of --profile (or the default chain); raises ProfileNotFound."""
        return boto3.Session(profile_name=self.profile)

    @cached_property
    def regions(self) -> tuple[str, ...]:
        """The regions to work on, validated; raises OperatorError naming the fix."""
        regions = self.requested_regions
        if not regions and self.session.region_name:
            regions = (self.session.region_name,)
        if not regions:
            raise OperatorError(
                "No AWS region given. Fix: pass --region (repeatable) or set AWS_DEFAULT_REGION."
            )

        known = known_regions(self.session)
        for region in regions:
            if region not in known:
                raise OperatorError(
                    f"Unknown region '{region}' for Redshift Serverless. Fix: pass --region "
                    f"with one of {', '.join(sorted(known))} (a newer botocore knows newer ones)."
                )
        return tuple(dict.fromkeys(regions))

    def client(self, region: str) -> RedshiftServerlessClient:
        """A Redshift Serverless client for `region` through this connection."""
        return redshift_serverless_client(
            region, endpoint_url=self.endpoint_url, session=self.session
        )


def known_regions(session: boto3.Session) -> frozenset[str]:
    """Every region botocore knows Redshift Serverless in, across all partitions."""
    return frozenset(
        region
        for partition in session.get_available_partitions()
        for region in session.get_available_regions(SERVICE_NAME, partition_name=partition)
    )
