"""placette.lib.qr: what it draws is read back by an independent decoder (zxing-cpp)."""

import io

import pytest

from placette.lib.qr import qr_png, qr_svg


def test_a_png_qr_code_reads_back_as_its_text():
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    text = "https://exemple.fr/gestion/gouvernance/accueil/12.345:AbC-dEf_0/"
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr_png(text))))
    assert [d.text for d in decoded] == [text]


def test_an_svg_qr_code_is_an_inline_element_with_its_title():
    svg = qr_svg("abc", title="Code d’accueil")
    assert svg.startswith("<svg") and "<?xml" not in svg
    assert "<title>Code d’accueil</title>" in svg


def test_an_empty_qr_code_is_refused_in_french():
    with pytest.raises(ValueError, match="ne peut pas être vide"):
        qr_svg("")
    with pytest.raises(ValueError, match="ne peut pas être vide"):
        qr_png("")


def test_the_title_of_an_svg_qr_code_is_escaped():
    assert "<title>&lt;b&gt;Léa &amp; Co</title>" in qr_svg("abc", title="<b>Léa & Co")
