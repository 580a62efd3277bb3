# DO NOT EDIT: generated from spec openai/gpt-5-mini.yaml by `wiro-codegen generate`

from __future__ import annotations

from typing import Annotated, Literal
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr


class Gpt5MiniInput(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    input_image_url: Annotated[
        StrictStr | None,
        Field(
            alias="inputImageUrl",
            description="Optional. Multiple image files separated by semicolon. GPT-5.2 only supports images",
            title="Input Image URL",
        ),
    ] = None
    prompt: Annotated[
        StrictStr,
        Field(alias="prompt", description="Required", min_length=1, title="Prompt"),
    ]
    user_id: Annotated[
        StrictStr | None,
        Field(
            alias="user_id",
            description="Required for chat history. Numeric or string ID.",
            title="User ID",
        ),
    ] = None
    session_id: Annotated[
        StrictStr | None,
        Field(
            alias="session_id",
            description="Required for chat history. Numeric or string ID.",
            title="Session ID",
        ),
    ] = None
    system_instructions: Annotated[
        StrictStr | None,
        Field(
            alias="systemInstructions",
            description="Optional. System-level instructions for the model.",
            title="System Instructions",
        ),
    ] = None
    reasoning: Annotated[
        Literal["high", "low", "medium", "minimal", ""],
        Field(
            alias="reasoning",
            description="Optional. Controls reasoning effort level. If web search is enabled and reasoning set to default it will be fallback the low, web search can not be used with minimal reasoning",
            title="Reasoning Effort",
        ),
    ] = "high"
    web_search: Annotated[
        StrictBool | Literal[""],
        Field(
            alias="webSearch",
            description="Optional. Enable web search. The number of web searches is determined by the complexity of your prompt. $0.01 per search",
            title="Web Search",
        ),
    ] = False
    verbosity: Annotated[
        Literal["high", "low", "medium", ""],
        Field(
            alias="verbosity",
            description="Optional. Controls response verbosity level.",
            title="Verbosity",
        ),
    ] = "high"
