"""Tool sources -> Spec: one front-end per format, meeting at the raw form (`raw`), and one
builder (`build`) that applies Wiro's rules to it.

- `markdown`: the description pages (`llms.txt`, `llms-full.txt`, saved files);
- `tool_detail`: the JSON answer of `/Tool/Detail`.
"""

from wiro_codegen.parse.build import build_spec, usable_number
from wiro_codegen.parse.markdown import parse_description, read_description
from wiro_codegen.parse.raw import ParseResult, ParseWarning, RawTool
from wiro_codegen.parse.tool_detail import parse_tool_detail, read_tool_detail

__all__ = [
    "ParseResult",
    "ParseWarning",
    "RawTool",
    "build_spec",
    "parse_description",
    "parse_tool_detail",
    "read_description",
    "read_tool_detail",
    "usable_number",
]
