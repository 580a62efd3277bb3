"""An application that vendors a generated Wiro client at build time."""


def request_url() -> str:
    """The Run URL of the vendored inpainting client, without sending anything."""
    from sample_app._wiro.wiro_image_inpainting_sd import Client

    request = Client(base_url="http://127.0.0.1:9/v1").prepare(prompt="a red door")
    return str(request["url"])
