# Sourced by parallel.sh and inventory.sh, with $root and $work set:
# s3rver_start starts s3rver in $work/s3rver on 127.0.0.1 and exports its
# environment (NBAQ_TEST_S3_*) and keys; s3rver_stop stops it.
s3rver_start() {
    bash "$root/tests/services/s3rver.sh" start "$work/s3rver" >/dev/null
    . "$work/s3rver/env"
    export NBAQ_TEST_S3_ENDPOINT NBAQ_TEST_S3_PORT
    export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_DEFAULT_REGION=us-east-1
}
s3rver_stop() {
    bash "$root/tests/services/s3rver.sh" stop "$work/s3rver" >/dev/null 2>&1 || true
}
