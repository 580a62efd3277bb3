"""A prepared request as a runnable, correctly signed shell script."""

from __future__ import annotations

import json
import shlex

from wiro_runtime._wire import PreparedRequest

SIGNATURE_LINES = (
    'NONCE="$(date +%s)"\n'
    "# openssl prints 'SHA2-256(stdin)= <hex>' (OpenSSL 3) or '(stdin)= <hex>': keep the hex\n"
    'SIGNATURE="$(printf \'%s\' "${WIRO_API_SECRET}${NONCE}" | openssl dgst -sha256 '
    '-hmac "${WIRO_API_KEY}" | awk \'{print $NF}\')"\n'
)


def curl_script(request: PreparedRequest) -> str:
    """Shell text that sends `request` with curl; credentials come from the environment."""
    body = json.dumps(request.body, ensure_ascii=False, indent=2)
    delimiter = "WIRO_JSON"
    while delimiter in body.splitlines():
        delimiter += "_"
    return (
        SIGNATURE_LINES
        + f"curl -sS -X {request.method} {shlex.quote(request.url)} \\\n"
        + '  -H "Content-Type: application/json" \\\n'
        + '  -H "x-api-key: ${WIRO_API_KEY}" \\\n'
        + '  -H "x-nonce: ${NONCE}" \\\n'
        + '  -H "x-signature: ${SIGNATURE}" \\\n'
        + f"  --data-binary @- <<'{delimiter}'\n{body}\n{delimiter}\n"
    )
