"""A stand-in for the Lambda context object, with a real, shrinking deadline."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class FakeLambdaContext:
    """What handlers read from the Lambda context: the deadline, names and the request id."""

    timeout_seconds: float = 300.0
    function_name: str = "snapshot-schedule-function"
    aws_request_id: str = "00000000-0000-4000-8000-000000000000"
    invoked_function_arn: str = (
        "arn:aws:lambda:eu-west-1:123456789012:function:snapshot-schedule-function"
    )
    log_group_name: str = "/aws/lambda/snapshot-schedule-function"
    log_stream_name: str = "2026/12/03/[$LATEST]0123456789abcdef"
    memory_limit_in_mb: int = 256
    _started: float = field(default_factory=time.monotonic)

    def get_remaining_time_in_millis(self) -> int:
        elapsed = time.monotonic() - self._started
        return max(0, int((self.timeout_seconds - elapsed) * 1000))
