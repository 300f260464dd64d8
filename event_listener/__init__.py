"""The event listener: covers namespaces made outside IaC, cleans up on delete, sweeps."""
