"""`./dev demo`: regenerate the inpainting package, serve it locally, run its CLI (not shipped)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from wiro_codegen import pipeline
from wiro_codegen.errors import GeneratorError
from wiro_emulator.images import sample_photo_and_mask
from wiro_emulator.server import Emulator
from wiro_emulator.tasks import Plan

ROOT = Path(__file__).resolve().parent.parent
COMMAND = "wiro-image-inpainting-sd"


def main() -> int:
    specs, generated = ROOT / "specs", ROOT / "generated"
    try:
        outcome = pipeline.generate(specs, generated)
    except GeneratorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(
        f"regenerated {generated.name}/ from {specs.name}/: "
        f"{len(outcome.written)} written, {len(outcome.unchanged)} unchanged",
        file=sys.stderr,
    )
    with Emulator(specs, plan=Plan(queue_seconds=0.5, run_seconds=2.5)) as emulator:
        print(f"emulator serving on {emulator.base_url}", file=sys.stderr)
        env = {
            **os.environ,
            "WIRO_BASE_URL": emulator.base_url,
            "WIRO_API_KEY": emulator.state.api_key,
            "WIRO_API_SECRET": emulator.state.api_secret or "",
        }
        output_dir = ROOT / "wiro-output" / "demo"
        shutil.rmtree(output_dir, ignore_errors=True)  # the demo's own folder: a fresh 0.png
        # a photo and a mask on disk, as a user has them: the CLI uploads both first
        inputs = ROOT / "wiro-output" / "demo-inputs"
        inputs.mkdir(parents=True, exist_ok=True)
        photo, mask = sample_photo_and_mask()
        (inputs / "photo.png").write_bytes(photo)
        (inputs / "mask.png").write_bytes(mask)
        command = [
            str(Path(sys.executable).with_name(COMMAND)),
            "run",
            "--input-image-url",
            os.path.relpath(inputs / "photo.png"),
            "--input-image-mask-url",
            os.path.relpath(inputs / "mask.png"),
            "--poll-interval",
            "0.25",
            "--output-dir",
            str(output_dir),
        ]
        print("$ " + " ".join([COMMAND, *command[1:]]), file=sys.stderr, flush=True)
        completed = subprocess.run(command, env=env, check=False)
    if completed.returncode == 0:
        print(
            "the inpainted image is the input photo with the masked pole filled in",
            file=sys.stderr,
        )
    return completed.returncode


if __name__ == "__main__":
    raise SystemExit(main())
