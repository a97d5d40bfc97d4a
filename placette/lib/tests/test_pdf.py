from placette.lib.pdf import pdf_render
from placette.lib.testing import pdf_text


def test_a_pdf_is_rendered_from_a_template_with_its_text():
    content = pdf_render("pdf_base.html", {"coop_name": "Coopérative d’essai"})
    assert "Coopérative d’essai" in pdf_text(content)
