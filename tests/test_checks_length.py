"""Length outliers, with ratio bounds per script and slack for short strings."""

from __future__ import annotations

from check_table import table_tests

from pipeline.checks.length import LengthRatio

PARAGRAPH = (
    "A mini facelift is a lifting procedure that helps tidy up the lower-middle area of the face, and it "
    "is a method focused especially on creating a more defined contour. Compared with a traditional "
    "facelift, it is characterized by a relatively smaller incision area and a shorter recovery period."
)
JA = (
    "ミニフェイスリフトは、顔の中下部を整えるのに役立つリフトアップ手術で、特によりシャープな輪郭づくりに"
    "重点を置いた方法です。従来のフェイスリフトと比べて、切開範囲が比較的小さく、回復期間が短いことが特徴です。"
)
ZH = "迷你拉皮是一种有助于修饰面部中下部的提拉手术，尤其着重于打造更加清晰的轮廓。与传统拉皮手术相比，其特点是切口范围相对较小、恢复期较短。"
RU = (
    "Мини-подтяжка лица — это лифтинг-процедура, которая помогает скорректировать среднюю и нижнюю трети "
    "лица, и этот метод особенно ориентирован на создание более чёткого контура. По сравнению с "
    "классической подтяжкой лица её отличают относительно меньшая область разрезов и более короткий "
    "период восстановления."
)

LENGTH = [
    ("ja", PARAGRAPH, JA, None),
    ("zh_Hans", PARAGRAPH, ZH, None),
    ("ru", PARAGRAPH, RU, None),
    ("ja", "Language", "言語", None),  # 0.25, but short strings get slack
    ("vi", "Procedures", "Các phương pháp điều trị", None),  # 2.4, as shipped
    ("ja", PARAGRAPH, "ミニフェイスリフトはリフトアップ手術です。", "much shorter than the source"),
    ("ru", PARAGRAPH, RU.split(", ")[0] + ".", "much shorter than the source"),
    ("zh_Hans", PARAGRAPH, ZH * 4, "much longer than the source"),
    ("ar", "Language", "اللغة " * 10, "much longer than the source"),
]

test_row, test_ignored_except_on_the_disclaimer = table_tests([(LengthRatio(), LENGTH)])
