#!/usr/bin/env bash
# Deploy templates/main.yaml with the zip built by `make package`. Called by `make deploy`:
#
#   scripts/deploy.sh preflight   check the variables and the credentials, change nothing
#   scripts/deploy.sh deploy      upload the zip, then create or update the stack
#
# Variables (make variables of the same name): BUCKET and DEST_REGION (required), STACK,
# REGION, PREFIX, SCHEDULE (the Schedule parameter), PARAMS (more "Key=Value" overrides,
# split on spaces, so no value in it may contain one), AWS (the AWS CLI), ZIP.
set -euo pipefail

STACK="${STACK:-serverless-snapshot-schedule}"
PREFIX="${PREFIX:-serverless-snapshot-schedule}"
ZIP="${ZIP:-dist/snapshot-schedule.zip}"
AWS="${AWS:-aws}"
TEMPLATE="templates/main.yaml"

fail() {
    echo "deploy: $*" >&2
    exit 2
}

aws_cli() {
    if [[ -n "${REGION:-}" ]]; then
        "$AWS" --region "$REGION" "$@"
    else
        "$AWS" "$@"
    fi
}

preflight() {
    [[ -n "${BUCKET:-}" ]] || fail "BUCKET is required: an S3 bucket in the stack's region for the code, e.g. make deploy BUCKET=my-artifacts DEST_REGION=eu-central-1"
    [[ -n "${DEST_REGION:-}" ]] || fail "DEST_REGION is required: the region snapshots are copied to, or none"
    command -v "$AWS" >/dev/null 2>&1 || fail "the AWS CLI ($AWS) is not installed: install it or run make install"
    if [[ -z "${REGION:-}${AWS_REGION:-}${AWS_DEFAULT_REGION:-}" ]] &&
        [[ -z "$("$AWS" configure get region 2>/dev/null || true)" ]]; then
        fail "no region: pass REGION=..., e.g. make deploy REGION=eu-west-1 ..., or configure a default region"
    fi

    local identity
    if ! identity="$(aws_cli sts get-caller-identity --query Arn --output text 2>&1)"; then
        fail "no usable AWS credentials (aws sts get-caller-identity failed): ${identity}"
    fi
    echo "deploy: deploying stack ${STACK} as ${identity}"
}

deploy() {
    [[ -f "$ZIP" ]] || fail "$ZIP is missing: run make package"

    # The key names the zip's content, so an unchanged build leaves the functions untouched.
    local digest key
    digest="$(sha256sum "$ZIP" | cut -c1-16)"
    key="${PREFIX}/snapshot-schedule-${digest}.zip"
    aws_cli s3 cp --only-show-errors "$ZIP" "s3://${BUCKET}/${key}"

    local overrides=("CodeS3Bucket=${BUCKET}" "CodeS3Key=${key}" "DestinationRegion=${DEST_REGION}")
    if [[ -n "${SCHEDULE:-}" ]]; then
        overrides+=("Schedule=${SCHEDULE}")
    fi
    # PARAMS is split on whitespace on purpose: it holds Key=Value words.
    # shellcheck disable=SC2206
    overrides+=(${PARAMS:-})

    # CloudFormation takes a template body of up to 51,200 bytes; a larger one goes through S3.
    local upload=()
    if (($(wc -c <"$TEMPLATE") > 51200)); then
        upload=(--s3-bucket "$BUCKET" --s3-prefix "$PREFIX")
    fi

    aws_cli cloudformation deploy \
        --template-file "$TEMPLATE" \
        --stack-name "$STACK" \
        "${upload[@]}" \
        --capabilities CAPABILITY_IAM \
        --no-fail-on-empty-changeset \
        --parameter-overrides "${overrides[@]}"

    aws_cli cloudformation describe-stacks --stack-name "$STACK" \
        --query "Stacks[0].Outputs[?OutputKey=='ServiceToken'].OutputValue" --output text
}

case "${1:-}" in
    preflight) preflight ;;
    deploy) preflight && deploy ;;
    *) fail "usage: $0 preflight|deploy" ;;
esac
