"""A job run in a process of its own, for tests that kill it: `python job_runner.py LEDGER
BASE_URL ORIGIN ROWS [--resubmit-uncertain]`, credentials in WIRO_API_KEY/WIRO_API_SECRET,
JOB_OUT_DIR, JOB_LEASE_SECONDS and JOB_CONCURRENCY optional. Prints the job's summary as
JSON when it ends."""

from __future__ import annotations

import json
import os
import sys

from wiro_image_inpainting_sd import Client, ImageInpaintingSdInputs


def rows(origin: str, count: int, first: int = 0) -> list[ImageInpaintingSdInputs]:
    """The same rows every time: a prompt per row, the emulator's sample photo and mask
    (typed as the generated client's rows are)."""
    return [
        ImageInpaintingSdInputs(
            prompt=f"row {number}",
            input_image_url=f"{origin}/samples/photo.png",
            input_image_mask_url=f"{origin}/samples/mask.png",
        )
        for number in range(first, first + count)
    ]


def main(argv: list[str]) -> int:
    ledger, base_url, origin, count = argv[0], argv[1], argv[2], int(argv[3])
    client = Client(
        api_key=os.environ["WIRO_API_KEY"],
        api_secret=os.environ["WIRO_API_SECRET"],
        base_url=base_url,
        poll_interval=0.02,
        max_poll_interval=0.1,
    )
    out_dir = os.environ.get("JOB_OUT_DIR")  # runners on one job share its outputs' folder
    with client, client.job(ledger, out_dir=out_dir) as job:
        summary = job.run(
            rows(origin, count),
            concurrency=int(os.environ.get("JOB_CONCURRENCY", "4")),
            settle_seconds=1.5,
            lease_seconds=float(os.environ.get("JOB_LEASE_SECONDS", "60")),
            resubmit_uncertain="--resubmit-uncertain" in argv,
        )
    print(json.dumps(summary.to_dict()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
