"""A prepared request as a runnable, correctly signed shell script."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

from ._wire import PreparedRequest, upload_request

SIGNATURE_LINES = (
    'NONCE="$(date +%s)"\n'
    "# openssl prints 'SHA2-256(stdin)= <hex>' (OpenSSL 3) or '(stdin)= <hex>': keep the hex\n"
    'SIGNATURE="$(printf \'%s\' "${WIRO_API_SECRET}${NONCE}" | openssl dgst -sha256 '
    '-hmac "${WIRO_API_KEY}" | awk \'{print $NF}\')"\n'
)


def curl_script(request: PreparedRequest) -> str:
    """Shell text that sends `request` with curl; credentials come from the environment.

    Local data for `...Url` inputs is uploaded first, each upload's URL kept in a shell
    variable that the Run's body then uses.
    """
    if not request.uploads:
        return _one_curl(request, SIGNATURE_LINES)
    script, urls = "", {}
    for number, item in enumerate(request.uploads, 1):
        variable = f"UPLOAD_{number}"
        # each request signs a nonce of its own: the time, then the request's number
        signature = SIGNATURE_LINES.replace('"$(date +%s)"', f'"$(date +%s)00{number}"')
        sent = _one_curl(upload_request(request.url.split("/Run/", 1)[0], item), signature)
        script += f"# upload {item.file.name} for {item.python_name}; keep the URL Wiro gives it\n"
        script += (
            signature
            + f'{variable}="$({sent.removeprefix(signature).rstrip()} | {URL_OF_UPLOAD})"\n'
        )
        urls[item.wire_name] = "${" + variable + "}"
    last = len(request.uploads) + 1
    signature = SIGNATURE_LINES.replace('"$(date +%s)"', f'"$(date +%s)00{last}"')
    return script + _one_curl(request.with_urls(urls), signature, expand=True)


#: Reads the file URL out of a /File/Upload answer (Python is there wherever this CLI is).
URL_OF_UPLOAD = 'python3 -c \'import json, sys; print(json.load(sys.stdin)["list"][0]["url"])\''


def _one_curl(request: PreparedRequest, signature: str, *, expand: bool = False) -> str:
    head = (
        signature
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
            if part.file.path is not None and part.file.name != path.name:
                source += f";filename={part.file.name}"
            lines.append(f"  -F {shlex.quote(source)}")
        return "".join(notes) + head + " \\\n" + " \\\n".join(lines) + "\n"
    body = json.dumps(request.body, ensure_ascii=False, indent=2)
    delimiter = "WIRO_JSON"
    while delimiter in body.splitlines():
        delimiter += "_"
    if expand:  # an unquoted here-document: only the ${UPLOAD_n} variables may expand
        for char in ("\\", "$", "`"):
            body = body.replace(char, "\\" + char)
        body = body.replace("\\${UPLOAD_", "${UPLOAD_")
        return (
            head
            + ' \\\n  -H "Content-Type: application/json" \\\n'
            + f"  --data-binary @- <<{delimiter}\n{body}\n{delimiter}\n"
        )
    return (
        head
        + ' \\\n  -H "Content-Type: application/json" \\\n'
        + f"  --data-binary @- <<'{delimiter}'\n{body}\n{delimiter}\n"
    )
