"""A prepared request as a runnable, correctly signed shell script."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

from ._wire import PreparedRequest

SIGNATURE_LINES = (
    'NONCE="$(date +%s)"\n'
    "# openssl prints 'SHA2-256(stdin)= <hex>' (OpenSSL 3) or '(stdin)= <hex>': keep the hex\n"
    'SIGNATURE="$(printf \'%s\' "${WIRO_API_SECRET}${NONCE}" | openssl dgst -sha256 '
    '-hmac "${WIRO_API_KEY}" | awk \'{print $NF}\')"\n'
)


def curl_script(request: PreparedRequest) -> str:
    """Shell text that sends `request` with curl; credentials come from the environment."""
    head = (
        SIGNATURE_LINES
        + f"curl -sS -X {request.method} {shlex.quote(request.url)} \\\n"
        + '  -H "x-api-key: ${WIRO_API_KEY}" \\\n'
        + '  -H "x-nonce: ${NONCE}" \\\n'
        + '  -H "x-signature: ${SIGNATURE}"'
    )
    if request.encoding == "multipart":
        notes, lines = [], []
        for part in request.parts:
            if part.file is None:
                text = f"{part.name}={part.value or ''}"
                lines.append(f"  --form-string {shlex.quote(text)}")
                continue
            path = part.file.path.resolve() if part.file.path else Path(part.file.name)
            if part.file.path is None:
                notes.append(f"# save the data given in memory for {part.name} as ./{path}\n")
            source = f"{part.name}=@{path};type={part.file.content_type}"
            lines.append(f"  -F {shlex.quote(source)}")
        return "".join(notes) + head + " \\\n" + " \\\n".join(lines) + "\n"
    body = json.dumps(request.body, ensure_ascii=False, indent=2)
    delimiter = "WIRO_JSON"
    while delimiter in body.splitlines():
        delimiter += "_"
    return (
        head
        + ' \\\n  -H "Content-Type: application/json" \\\n'
        + f"  --data-binary @- <<'{delimiter}'\n{body}\n{delimiter}\n"
    )
