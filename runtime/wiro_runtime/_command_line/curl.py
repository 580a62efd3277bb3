"""A prepared request as a runnable, correctly signed bash script."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

from .._protocol.wire import PreparedRequest, upload_request
from .terminal import printable

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
        script += _comment(
            f"upload {item.file.name} for {item.python_name}; keep the URL Wiro gives it"
        )
        script += (
            signature
            + f'{variable}="$({sent.removeprefix(signature).rstrip()} | {URL_OF_UPLOAD})"\n'
        )
        urls[item.placeholder] = "${" + variable + "}"
    last = len(request.uploads) + 1
    signature = SIGNATURE_LINES.replace('"$(date +%s)"', f'"$(date +%s)00{last}"')
    return script + _one_curl(request.with_urls(urls), signature, expand=True)


#: Reads the file URL out of a /File/Upload answer (Python is there wherever this CLI is).
URL_OF_UPLOAD = 'python3 -c \'import json, sys; print(json.load(sys.stdin)["list"][0]["url"])\''


def _word(text: str) -> str:
    """One shell word: quoted as `shlex.quote` does, or, holding a control character,
    as bash's `$'...'` with that character escaped, so the script shows nothing raw."""
    if text.isprintable():
        return shlex.quote(text)
    escaped = "".join(
        (
            char
            if char.isprintable() and char not in "\\'"
            else f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
        )
        for char in text
    )
    return f"$'{escaped}'"


def _comment(text: str) -> str:
    """A shell comment line: no character of `text` (a file's name) can end it early."""
    return f"# {printable(text)}\n"


def _form_word(text: str) -> str:
    """A file name inside curl's `-F name=@file;filename=...`: quoted for curl, so its `;`,
    `,` and quotes stay part of the name (the shell's quoting is applied around it)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _one_curl(request: PreparedRequest, signature: str, *, expand: bool = False) -> str:
    head = (
        signature
        + f"curl -sS -X {request.method} {_word(request.url)} \\\n"
        + '  -H "x-api-key: ${WIRO_API_KEY}" \\\n'
        + '  -H "x-nonce: ${NONCE}" \\\n'
        + '  -H "x-signature: ${SIGNATURE}"'
    )
    if request.encoding == "multipart":
        notes, lines = [], []
        for part in request.parts:
            if part.file is None:
                text = f"{part.name}={part.value or ''}"
                lines.append(f"  --form-string {_word(text)}")
                continue
            path = part.file.path.resolve() if part.file.path else Path(part.file.name)
            if part.file.path is None:
                notes.append(_comment(f"save the data given in memory for {part.name} as ./{path}"))
            source = f"{part.name}=@{_form_word(str(path))};type={part.file.content_type}"
            if part.file.path is not None and part.file.name != path.name:
                source += f";filename={_form_word(part.file.name)}"
            lines.append(f"  -F {_word(source)}")
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
