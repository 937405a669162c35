"""CJK radicals printed where the ideographs they look like belong (⼈⺠政府 for 人民政府).

A font draws a radical and its look-alike ideograph with one glyph, and some PDFs' ToUnicode
maps (Chromium's are known for it), and readers that map glyphs back to characters without
one, give the radical: the text looks right and matches nothing (an agency name, a table
label, a search). Every document's text is read through this table before the report reader
sees it. The pairs are derived from Noto Sans CJK SC by reportgen/fonts/radicals.py; radicals
no ideograph shares a glyph with stay as they are.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from parsers.document import Block, Document, TableBlock, TextBlock

# Radical, ideograph, radical, ideograph...: rewritten by reportgen/fonts/radicals.py.
# BEGIN PAIRS
_PAIRS = (
    "⺂乛⺃乚⺅亻⺇𠘨⺉刂⺋㔾⺍𭕄⺏尣⺐尢⺒巳⺓幺⺔彑⺕彐⺖忄⺘扌⺙攵⺛旡⺞歺⺟母⺠民⺡氵⺣灬⺤爫⺦丬⺨犭⺩𤣩⺭礻⺮𥫗⺯糹⺰纟⺱罓⺳㓁⺹耂⺺肀⺽𦥑⺾艹⻂衤⻅见⻆角⻇𧢲"
    "⻈讠⻉贝⻊𧾷⻋车⻌辶⻐钅⻑長⻒镸⻓长⻔门⻕𨸏⻖阝⻘青⻙韦⻚页⻛风⻜飞⻝食⻞𩙿⻟飠⻠饣⻡𩠐⻢马⻣骨⻤鬼⻥鱼⻦鸟⻧卤⻨麦⻩黄⻪黾⻫斉⻬齐⻮齿⻯竜⻰龙⻱龜⻲亀⻳龟⼀一"
    "⼁丨⼂丶⼃丿⼄乙⼅亅⼆二⼇亠⼈人⼉儿⼊入⼋八⼌冂⼍冖⼎冫⼏几⼐凵⼑刀⼒力⼓勹⼔匕⼕匚⼖匸⼗十⼘卜⼙卩⼚厂⼛厶⼜又⼝口⼞囗⼟土⼠士⼡夂⼢夊⼣夕⼤大⼥女⼦子⼧宀⼨寸"
    "⼩小⼪尢⼫尸⼬屮⼭山⼮巛⼯工⼰己⼱巾⼲干⼳幺⼴广⼵廴⼶廾⼷弋⼸弓⼺彡⼻彳⼼心⼽戈⼾户⼿手⽀支⽁攴⽂文⽃斗⽄斤⽅方⽆无⽇日⽈曰⽉月⽊木⽋欠⽌止⽍歹⽎殳⽏毋⽐比⽑毛"
    "⽒氏⽓气⽔水⽕火⽖爪⽗父⽘爻⽙爿⽚片⽛牙⽜牛⽝犬⽞玄⽟玉⽠瓜⽡瓦⽢甘⽣生⽤用⽥田⽦疋⽧疒⽨癶⽩白⽪皮⽫皿⽬目⽭矛⽮矢⽯石⽰示⽱禸⽲禾⽳穴⽴立⽵竹⽶米⽷糸⽸缶⽹网"
    "⽺羊⽻羽⽼老⽽而⽿耳⾀聿⾁肉⾂臣⾃自⾄至⾅臼⾆舌⾇舛⾈舟⾉艮⾊色⾋艸⾌虍⾍虫⾎血⾏行⾐衣⾑襾⾒見⾔言⾕谷⾖豆⾗豕⾘豸⾙貝⾚赤⾛走⾜足⾝身⾞車⾟辛⾠辰⾡辵⾢邑⾣酉"
    "⾤釆⾥里⾦金⾧長⾨門⾩阜⾪隶⾫隹⾬雨⾭靑⾮非⾯面⾰革⾱韋⾲韭⾳音⾴頁⾵風⾶飛⾷食⾸首⾹香⾺馬⾼高⾽髟⾾鬥⾿鬯⿀鬲⿁鬼⿂魚⿃鳥⿄鹵⿅鹿⿆麥⿇麻⿈黃⿉黍⿊黑⿋黹⿌黽"
    "⿍鼎⿎鼓⿏鼠⿑齊⿒齒⿓龍⿕龠"
)
# END PAIRS
_TEXT = "".join(_PAIRS)
_TABLE = {ord(_TEXT[i]): _TEXT[i + 1] for i in range(0, len(_TEXT), 2)}
# A Kangxi radical the font draws apart from every ideograph still has its compatibility mapping.
for _cp in range(0x2F00, 0x2FD6):
    _TABLE.setdefault(_cp, unicodedata.normalize("NFKC", chr(_cp)))
_ANY_RADICAL = re.compile("[\u2e80-\u2fdf]")


def unify(text: str) -> str:
    """The text with every mapped radical replaced by its ideograph."""
    return text.translate(_TABLE) if _ANY_RADICAL.search(text) else text


def unify_document(document: Document) -> Document:
    """The document with its text blocks, table cells and metadata unified (the same object
    when nothing needed it, which is nearly always)."""
    blocks = [_block(b) for b in document.blocks]
    meta = {k: unify(v) for k, v in document.meta.items()}
    if all(a is b for a, b in zip(blocks, document.blocks, strict=True)) and meta == document.meta:
        return document
    return replace(document, blocks=blocks, meta=meta)


def _block(block: Block) -> Block:
    if isinstance(block, TextBlock):
        text = unify(block.text)
        return block if text == block.text else replace(block, text=text)
    rows = [[unify(cell) for cell in row] for row in block.rows]
    return block if rows == block.rows else TableBlock(rows, block.page, block.columns, block.breaks)
