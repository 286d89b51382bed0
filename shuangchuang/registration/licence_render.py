"""The electronic business licence as PDF and the verification QR code (reportlab: its CID font STSong-Light
needs no font file, and its QR widget needs no other package).

reportlab is an extra dependency of this module (pin reported to the lead); without it the licence page still
shows every field and the verification link, and the PDF answers that it is unavailable.
"""

from __future__ import annotations

import io

from shuangchuang.registration.checks import yuan
from shuangchuang.registration.models import Licence


class RenderingUnavailable(RuntimeError):
    pass


def _reportlab():
    try:
        import reportlab  # noqa: F401
    except ImportError as exc:
        raise RenderingUnavailable("reportlab is not installed") from exc


def licence_fields(licence: Licence) -> list[tuple[str, str]]:
    """The fields the licence must show (实施细则 Art 23), in the licence's order, in Chinese."""
    capital = f"人民币{yuan(licence.registered_capital_fen)}元" if licence.registered_capital_fen is not None else ""
    return [
        ("统一社会信用代码", licence.uscc),
        ("名称", licence.name),
        ("类型", licence.legal_form),
        ("法定代表人", licence.legal_representative),
        ("注册资本", capital),
        ("成立日期", f"{licence.founded_on:%Y年%m月%d日}"),
        ("住所", licence.address),
        ("经营范围", licence.scope),
        ("登记机关", licence.authority),
        ("发照日期", f"{licence.issued_on:%Y年%m月%d日}"),
    ]


def _qr_drawing(url: str, size: float):
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    widget = QrCodeWidget(url)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def qr_svg(url: str, size: int = 160) -> str:
    """An SVG QR code of the verification URL, or "" without reportlab."""
    try:
        _reportlab()
        from reportlab.graphics import renderSVG
    except (RenderingUnavailable, ImportError):
        return ""
    svg = renderSVG.drawToString(_qr_drawing(url, size))
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


def _wrap(text: str, width: float, font: str, size: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, line = [], ""
    for char in text:
        if stringWidth(line + char, font, size) > width:
            lines.append(line)
            line = char
        else:
            line += char
    if line or not lines:
        lines.append(line)
    return lines


def licence_pdf(licence: Licence, verify_url: str) -> bytes:
    _reportlab()
    from reportlab.graphics import renderPDF
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    buffer = io.BytesIO()
    width, height = A4
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(f"营业执照 {licence.name}")
    pdf.setAuthor(licence.authority)
    pdf.setSubject(licence.uscc)
    pdf.setLineWidth(2)
    pdf.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)
    pdf.setFont(font, 30)
    pdf.drawCentredString(width / 2, height - 45 * mm, "营 业 执 照")
    pdf.setFont(font, 12)
    pdf.drawCentredString(width / 2, height - 55 * mm, "（电子营业执照）")
    y = height - 75 * mm
    label_x, value_x, value_width = 28 * mm, 62 * mm, width - 62 * mm - 28 * mm
    for label, value in licence_fields(licence):
        pdf.setFont(font, 12)
        pdf.drawString(label_x, y, label)
        for line in _wrap(value, value_width, font, 12):
            pdf.drawString(value_x, y, line)
            y -= 7 * mm
        y -= 3 * mm
    qr_size = 36 * mm
    renderPDF.draw(_qr_drawing(verify_url, qr_size), pdf, width - 28 * mm - qr_size, 24 * mm)
    pdf.setFont(font, 9)
    pdf.drawString(28 * mm, 30 * mm, "扫描二维码或访问以下网址核验本执照：")
    pdf.drawString(28 * mm, 25 * mm, verify_url[:110])
    if not licence.is_current:
        pdf.setFont(font, 40)
        pdf.setFillGray(0.6)
        pdf.drawCentredString(width / 2, height / 2, "已失效")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
