"""Readable docs from Wiro's data: its untranslated i18n keys (`guidancescale-help`,
`selct-model-help`, ...) become real text, and mojibake (`rÃ©sumÃ©s`) is repaired.

Only what people read goes through here: labels, help and descriptions. Wire names, option
values and defaults stay byte for byte as Wiro sent them. A key the glossary does not know
falls back to the input's readable label, never to the key itself.
"""

from __future__ import annotations

import re

#: Label keys Wiro's pages show untranslated, as the words they stand for.
LABELS = {
    "dreambooth-model": "DreamBooth model",
    "dreambooth-model-private": "Private DreamBooth model",
    "guidancescale": "Guidance scale",
    "height": "Height",
    "inferencesteps": "Inference steps",
    "input-image-mask-url": "Mask image",
    "input-image-url": "Input image",
    "negativeprompt": "Negative prompt",
    "numberofoutputs": "Number of outputs",
    "prompt": "Prompt",
    "scheduler": "Scheduler",
    "seed": "Seed",
    "selct-model": "Model",
    "select-model": "Model",
    "select-model-private": "Private model",
    "strength": "Strength",
    "width": "Width",
}

#: Help keys, misspelt ones included, as the help they stand for.
HELP = {
    "guidancescale-help": "How closely the output follows the prompt: higher values follow it "
    "more strictly, lower ones leave the model more freedom.",
    "height-help": "Height of the output, in pixels.",
    "inferencesteps-help": "How many denoising steps to run: more give finer detail and take "
    "longer.",
    "input-image-mask-url-help": "The mask, the same size as the input image: white where the "
    "image is painted anew, black where it is kept.",
    "input-image-url-help": "The image to work on.",
    "negativeprompt-help": "What the output should not show.",
    "numberofoutputs-help": "How many outputs to make in one run.",
    "prompt-help": "What to make, in words.",
    "scheduler-help": "The sampler that removes noise at each step; each gives a slightly "
    "different look.",
    "seed-help": "The random seed: the same seed with the same inputs gives the same output.",
    "selct-model-help": "The model to generate with.",
    "select-model-help": "The model to generate with.",
    "select-model-private-help": "One of your own private models, used instead of a public one.",
    "strength-help": "How much the input image changes: near 0 it is kept, at 1 it is painted "
    "anew.",
    "width-help": "Width of the output, in pixels.",
}

_KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def is_key(text: str) -> bool:
    """Whether text is an i18n key rather than words: all lower case, no spaces, and either a
    known key or hyphenated (`prompt` alone is a word, `select-model` a key)."""
    stripped = text.strip()
    if not _KEY.fullmatch(stripped):
        return False
    return stripped in LABELS or stripped in HELP or "-" in stripped


def _words(name: str) -> str:
    """`negativePrompt`, `input_image_url` or `select-model` as `Negative prompt`..."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name)
    words = re.sub(r"[-_\s]+", " ", spaced).strip().lower()
    return words[:1].upper() + words[1:]


def readable_label(label: str, wire_name: str) -> str:
    """The label to show: a known key's words, an unknown key's words, or the label."""
    text = fix_text(label).strip()
    if not text:
        return ""
    if text in LABELS:
        return LABELS[text]
    if text.islower() and text.isalnum():
        return text.capitalize()  # `seed` from a key-like label reads as `Seed`
    return _words(text) if is_key(text) else text


def readable_help(help_text: str, label: str, wire_name: str) -> str:
    """The help to show: a known key's text, else for an unknown key the input's readable
    label (or name), else the help itself (mojibake repaired)."""
    text = fix_text(help_text).strip()
    if not text or not is_key(text):
        return text
    if text in HELP:
        return HELP[text]
    return readable_label(label, wire_name) or _words(wire_name)


def fix_text(text: str) -> str:
    """Mojibake repaired (`rÃ©sumÃ©s` -> `résumés`) by ftfy, everything else as it was."""
    if not text or text.isascii():
        return text
    import ftfy

    fixed: str = ftfy.fix_encoding(text)  # only mojibake: no other text is changed
    return fixed
