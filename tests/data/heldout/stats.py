#!/usr/bin/env python3
"""Describe heldout-zh.tsv: rows per cat and orig_label, lengths, and how many prohibited rows
carry each evasion form (rough regular expressions, for the README only; they are not a
detector and must not become one). Usage: python3 stats.py [heldout-zh.tsv]"""
import collections
import csv
import re
import statistics
import sys
from pathlib import Path

FORMS = {
    "digits split by spaces or dashes": r"\d[ \-—]\d[ \-—]?\d",
    "Chinese numerals as digits (一三八 / 壹叁捌, also mixed)": r"[零一二三四五六七八九]{5,}|[壹贰叁肆伍陆柒捌玖零]{4,}|\d[零一二三四五六七八九]\d|[零一二三四五六七八九]\d[零一二三四五六七八九]",
    "circled or parenthesised digits (①, ㈤)": r"[⓪①-⑨㈠-㈩⑲㉝]",
    "full-width digits or letters": r"[０-９Ａ-Ｚａ-ｚ]",
    "math-bold or keycap digits": r"[𝟎-𝟗]|⃣",
    "WeChat aliases (薇/威/V/VX/➕V/卫星/绿泡泡)": r"薇|威信|威[:：➡]|威 |[Vv][Xx]|(?<![A-Za-z])[VvＶｖⅤ](?![A-Za-z]{2})|卫星|绿泡泡|➕V|\+V",
    "QQ aliases (QQ/Q/扣扣/企鹅/秋秋/抠抠/🐧)": r"QQ|ＱＱ|ｑｑ|扣扣|企鹅|秋秋|抠抠|🐧|(?<![A-Za-z])[Qq](?![A-Za-z])|扣 ?\d|加扣",
    "Telegram (飞机/纸飞机/TG/电报/✈️)": r"飞机|TG|tg|电报|✈️",
    "avatar / homepage / QR phrasing (看我头像, 主页, 扫码, 个签)": r"头像|主页|扫码|二维码|简介|个签|签名|背景图|资料卡|置顶",
    "bare or obfuscated domains (点, 。, spaces, [.], 丶, •)": r"[a-z0-9](\s?点\s?|\s?。\s?|\s\.\s|\[\.\]|丶|•|\(点\)|\.)\s?(com|vip|cc|top|xyz|net|club|me|app|bet|live|fun|cn|c o m|v i p|x y z|t o p)|ｃｃ|ｘｙｚ|﹒",
    "IP literal with port": r"\d+\.\d+\.\d+\.\d+:\d+|１５６．",
    "invite / referral codes": r"邀请码|推荐码|注册码|填码|code=",
    "emoji or symbols between characters (百💰家💰乐, 博/彩)": r"([\u4e00-\u9fff])([💰💕💬🛒🃏💋🍑]|[./_…·])([\u4e00-\u9fff])",
    "characters spaced out (博 彩 网 站)": r"([\u4e00-\u9fffA-Za-z]) ([\u4e00-\u9fffA-Za-z]) ([\u4e00-\u9fffA-Za-z]) ",
    "zero-width characters": "\u200b",
    "homophones and slang (菠菜, 叶子, 冰糖, 邮票, 溜冰, 猪肉, 果子, 上岸, 喝茶, 楼凤, 空降, 狗管)": r"菠菜|叶子|冰糖|邮票|溜冰|溜🧊|猪肉|果子|上岸|喝茶|品茶|楼凤|空降|狗管|锁、瞄",
    "pinyin or initials (bjl, ssc, lhc, yp, sfz, kfp, jz, fq, QZ, LF, dd)": r"\b(bjl|ssc|lhc|yp|Y P|sfz|kfp|jz|fq|QZ|LF|sq|s q|dd|dy|tz|PC28)\b|bjl|ssc|lhc|dd我|ＬＦ|ｌｆ",
    "traditional characters": r"賭|樂|碼",
}
# Any way to get in touch, explicit (number, id, link, avatar) or implicit (私聊, 加我, 群).
CONTACT = re.compile(r"\d[\d\s\-]{4,}|[零一二三四五六七八九壹贰叁肆伍陆柒捌玖]{5,}|[①-⑨⓪㈠-㈩]{3,}|[０-９]{4,}|𝟏|薇|威|V|Ｖ|Ⅴ|扣扣|企鹅|飞机|tg|电报|Q|ＱＱ|ｑｑ|微信|w e i|头像|主页|扫码|二维码|网址|链接|点\s*(com|vip|top|cc|net|xyz|cn)|\.\s*(com|vip|top|cc|net|xyz|cn|org)|。\s*(vip|cn|top)|http|@|邀请码|简介|空间|Line|➕|app|下载|私聊|私我|私信|私发|加我|联系|评论区|dd|找我|留言|扣1|扣“|扣666|电话|拨打|回复|点击|群|个签|签名|卫星|绿泡泡|🐧|抠抠|秋秋|推荐码|注册码|置顶|背景图|资料卡", re.I)


def main() -> int:
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "heldout-zh.tsv"
    with src.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quotechar='"'))
    print(f"rows {len(rows)}")
    by_cat = collections.Counter(r["cat"] for r in rows)
    by_label = collections.Counter((r["cat"], r["orig_label"]) for r in rows)
    for cat in sorted(by_cat, key=int):
        print(f"cat {cat}: {by_cat[cat]}  " + ", ".join(f"{lab} {n}" for (c, lab), n in sorted(by_label.items()) if c == cat))
    lengths = [len(r["text"]) for r in rows]
    bands = collections.Counter("<15" if n < 15 else "15-60" if n <= 60 else ">60" for n in lengths)
    print(f"length: median {statistics.median(lengths)}, min {min(lengths)}, max {max(lengths)}; "
          f"<15: {bands['<15']}, 15-60: {bands['15-60']}, >60: {bands['>60']}")
    bad = [r["text"] for r in rows if r["cat"] != "0"]
    clean = [r["text"] for r in rows if r["cat"] == "0"]
    none = [t for t in bad if not CONTACT.search(t)]
    print(f"prohibited rows with no contact channel at all: {len(none)} of {len(bad)} ({len(none) / len(bad):.0%})")
    print("evasion form: prohibited rows / clean rows")
    for name, rx in FORMS.items():
        p = sum(1 for t in bad if re.search(rx, t))
        c = sum(1 for t in clean if re.search(rx, t))
        print(f"  {p:4d} / {c:3d}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
