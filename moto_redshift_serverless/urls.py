"""redshift-serverless base URL and path."""

from __future__ import annotations

from .responses import RedshiftServerlessResponse

url_bases = [
    r"https?://redshift-serverless\.(.+)\.amazonaws\.com",
]

url_paths = {
    "{0}/$": RedshiftServerlessResponse.dispatch,
}
