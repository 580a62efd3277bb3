"""The former name of the `webhooks` module, kept so code written against it still runs."""

from .webhooks import *  # noqa: F403
from .webhooks import __all__ as __all__
