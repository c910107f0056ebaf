#!/usr/bin/env bash
# Lists ENDPOINT/BUCKET/?prefix=PREFIX page by page with plain curl
# requests, following NextContinuationToken; prints objects=N. Encoding
# is done with sed (tokens are base64, the prefix plain ASCII) so that no
# interpreter start-up is counted.
set -euo pipefail
endpoint=$1 bucket=$2 prefix=$3
encode() { sed -e 's/%/%25/g' -e 's/+/%2B/g' -e 's:/:%2F:g' -e 's/=/%3D/g' <<<"$1"; }
eprefix=$(encode "$prefix")
token="" objects=0
while :; do
    q="list-type=2&max-keys=1000&prefix=$eprefix"
    [ -n "$token" ] && q="continuation-token=$token&$q"
    page=$(curl -s --aws-sigv4 "aws:amz:us-east-1:s3" --user S3RVER:S3RVER \
        -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" \
        "$endpoint/$bucket/?$q")
    n=$(grep -o '<Key>' <<<"$page" | wc -l)
    objects=$((objects + n))
    grep -q '<IsTruncated>true</IsTruncated>' <<<"$page" || break
    token=$(encode "$(sed -n 's:.*<NextContinuationToken>\([^<]*\)</NextContinuationToken>.*:\1:p' <<<"$page")")
done
echo "objects=$objects"
