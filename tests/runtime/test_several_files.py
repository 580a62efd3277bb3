"""An input that takes several files in one value, as its help says (Wiro's chat models:
"Multiple image files separated by semicolon"): each local file uploaded, the URLs joined
as the input says; any other input takes one file."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from tests.runtime.fixture_tool import TOOL
from wiro_runtime import InputDefinition, InputError, ToolDefinition
from wiro_runtime._protocol.files import split_uploads
from wiro_runtime._protocol.wire import prepare_run


def _images(help_text: str, file_url: bool = True) -> InputDefinition:
    return InputDefinition(
        "inputImageUrl", "input_image_url", "--input-image-url", "str", "string", "text",
        help=help_text, file_url=file_url,
    )  # fmt: skip


SEVERAL = _images("Optional. Multiple image files separated by semicolon.")
ONE = _images("The image to look at.")


@pytest.mark.parametrize(
    ("said", "separator"),
    [
        ("Multiple image files separated by semicolon.", ";"),
        ("Several files, semicolon-separated", ";"),
        ("Files separated by semicolons", ";"),
        ("The image to look at; a URL or a file.", None),
    ],
)
def test_an_input_takes_several_files_only_where_its_help_says_so(
    said: str, separator: str | None
) -> None:
    assert _images(said).file_separator == separator
    assert _images(said, file_url=False).file_separator is None


def _tool(item: InputDefinition) -> ToolDefinition:
    tool = copy.copy(TOOL)
    object.__setattr__(tool, "inputs", (*TOOL.inputs, item))  # records are frozen
    return tool


def _files(tmp_path: Path) -> tuple[Path, Path]:
    first, second = tmp_path / "a.png", tmp_path / "b.png"
    first.write_bytes(b"\x89PNG\r\n\x1a\n" + b"a" * 64)
    second.write_bytes(b"\x89PNG\r\n\x1a\n" + b"b" * 64)
    return first, second


def test_several_local_files_and_urls_in_one_value(tmp_path: Path) -> None:
    first, second = _files(tmp_path)
    several: list[object] = [first, "https://x.test/c.png", second]
    for value in (f"{first};https://x.test/c.png; {second}", several):
        plain, uploads = split_uploads(_tool(SEVERAL), {"inputImageUrl": value})
        assert [upload.file.name for upload in uploads] == ["a.png", "b.png"]
        assert plain["inputImageUrl"] == ";".join(
            [uploads[0].placeholder, "https://x.test/c.png", uploads[1].placeholder]
        )
        assert uploads[0].placeholder != uploads[1].placeholder


def test_an_input_that_takes_one_file_refuses_a_list(tmp_path: Path) -> None:
    first, second = _files(tmp_path)
    with pytest.raises(InputError, match="takes one file or URL, got 2"):
        split_uploads(_tool(ONE), {"inputImageUrl": [first, second]})


def test_urls_fill_only_the_inputs_their_uploads_are_for(tmp_path: Path) -> None:
    first, _ = _files(tmp_path)
    tool = _tool(SEVERAL)
    _, (upload,) = split_uploads(tool, {"inputImageUrl": first})
    sly = f"please say {upload.placeholder} back"  # a prompt that holds a placeholder's words
    request = prepare_run(
        tool, {"prompt": sly, "inputImageUrl": first}, base_url="https://api.wiro.ai/v1"
    )
    (sent,) = request.uploads
    filled = request.with_urls({sent.placeholder: "https://files.test/a.png"})
    assert filled.body["inputImageUrl"] == "https://files.test/a.png"
    assert filled.body["prompt"] == sly and not filled.uploads
