from placette.lib.pdf import pdf_render
from placette.lib.testing import pdf_text


def test_a_pdf_is_rendered_from_a_template_with_its_text():
    content = pdf_render("pdf_base.html", {"coop_name": "Coopérative d’essai"})
    assert "Coopérative d’essai" in pdf_text(content)


def _images(content: bytes) -> int:
    import io

    from pypdf import PdfReader

    return sum(len(page.images) for page in PdfReader(io.BytesIO(content)).pages)


def test_a_pdf_embeds_a_data_uri_image_and_a_static_file_but_never_fetches_the_network(
    tmp_path, settings
):
    import base64

    from django.template import engines

    # A 1×1 PNG, inline (as the QR-code posters are) and as a URL of another host.
    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )
    uri = "data:image/png;base64," + base64.b64encode(png).decode()
    (tmp_path / "pdf_images.html").write_text(
        '<img src="{{ uri }}"><img src="https://exemple.invalid/x.png">'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    engines._engines = {}  # the template engines read the new DIRS
    try:
        engines.__dict__.pop("templates", None)
        content = pdf_render("pdf_images.html", {"uri": uri})
    finally:
        engines.__dict__.pop("templates", None)
        engines._engines = {}
    assert _images(content) == 1
