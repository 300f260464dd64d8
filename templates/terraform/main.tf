# Declaring Redshift Serverless snapshot schedules from Terraform.
#
# The AWS provider cannot declare a scheduled snapshot, so each schedule is a one-resource
# CloudFormation stack (schedule.yaml) whose Custom::ServerlessSnapshotSchedule is served by the
# stack deployed once per account and region from templates/main.yaml.

terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

variable "snapshot_schedule_stack_name" {
  description = "Name of the stack deployed from templates/main.yaml."
  type        = string
  default     = "serverless-snapshot-schedule"
}

variable "namespace_name" {
  description = "Name of the namespace to create."
  type        = string
  default     = "example-analytics"
}

variable "subnet_ids" {
  description = "Subnets of the workgroup."
  type        = list(string)
}

variable "security_group_ids" {
  description = "Security groups of the workgroup."
  type        = list(string)
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key that encrypts the namespace (null: an AWS-owned key)."
  type        = string
  default     = null
}

variable "stack_notification_arns" {
  description = "SNS topics told of the schedule stack's events (optional)."
  type        = list(string)
  default     = []
}

# The ServiceToken the main stack exports.
data "aws_cloudformation_export" "service_token" {
  name = "${var.snapshot_schedule_stack_name}-ServiceToken"
}

resource "aws_redshiftserverless_namespace" "this" {
  namespace_name        = var.namespace_name
  db_name               = "analytics"
  admin_username        = "admin"
  manage_admin_password = true
  kms_key_id            = var.kms_key_arn
  log_exports           = ["userlog", "connectionlog", "useractivitylog"]
}

resource "aws_redshiftserverless_workgroup" "this" {
  workgroup_name       = "${var.namespace_name}-wg"
  namespace_name       = aws_redshiftserverless_namespace.this.namespace_name
  base_capacity        = 8
  publicly_accessible  = false
  enhanced_vpc_routing = true
  subnet_ids           = var.subnet_ids
  security_group_ids   = var.security_group_ids
}

# One stack per namespace. Parameters left out take the main stack's defaults.
resource "aws_cloudformation_stack" "snapshot_schedule" {
  # checkov:skip=CKV_AWS_124:Stack notifications are optional here (stack_notification_arns); Terraform reports the stack's failures itself.
  name              = "snapshot-schedule-${aws_redshiftserverless_namespace.this.namespace_name}"
  template_body     = file("${path.module}/schedule.yaml")
  notification_arns = var.stack_notification_arns

  parameters = {
    ServiceToken      = data.aws_cloudformation_export.service_token.value
    NamespaceName     = aws_redshiftserverless_namespace.this.namespace_name
    Schedule          = "0 2,14 * * ? *"
    RetentionPeriod   = "14"
    DestinationRegion = "eu-central-1"
  }

  # A snapshot needs a workgroup.
  depends_on = [aws_redshiftserverless_workgroup.this]
}

output "scheduled_action_name" {
  value = aws_cloudformation_stack.snapshot_schedule.outputs["ScheduledActionName"]
}

output "next_invocations" {
  value = aws_cloudformation_stack.snapshot_schedule.outputs["NextInvocations"]
}
