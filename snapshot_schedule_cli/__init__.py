"""The operator's command line for serverless-snapshot-schedule (not part of the Lambda package)."""
