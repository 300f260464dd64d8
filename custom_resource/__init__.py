"""Serverless Snapshot Schedule: the shared core and the CloudFormation custom resource."""
