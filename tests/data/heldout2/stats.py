#!/usr/bin/env python3
"""Counts for heldout2-zh.tsv: rows per cat and orig_label, and the share of
prohibited rows (cat 7 and 9) that carry a contact channel.

"hard" channel = a number, id, handle, link, domain, IP or invite code;
"soft" channel = a pointer such as 看我头像 / 主页 / 私信 / 私我 / 扫码 / 评论区扣1.
The regexes are the test-set writer's own, deliberately simple.
"""
import collections, os, re, sys

PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'heldout2-zh.tsv')

DIG = '0-9０-９⓪①②③④⑤⑥⑦⑧⑨'
HARD = [
    re.compile(r'[%s](?:[\s\-]?[%s]){6,}' % (DIG, DIG)),                     # 7+ digits, maybe spaced/dashed; full-width/circled too
    re.compile(r'[零〇一二三四五六七八九]{6,}'),                          # Chinese-numeral numbers
    re.compile(r'(微信号|微信|徽信|薇信|V信|薇|威|卫星|vx|wx|➕V|\+v|🛰|\bV\b|\bv\b)\s*[:：❤]?\s*[A-Za-z](?:\s?[A-Za-z0-9_\-]){3,}', re.I),
    re.compile(r'(QQ|扣扣|企鹅|抠抠|q群|群号|Q\s*q|🐧|Q|扣)\s*[:：]?\s*[%s零一二三四五六七八九](?:\s?[%s零一二三四五六七八九]){4,}' % (DIG, DIG), re.I),
    re.compile(r'@[A-Za-z][A-Za-z0-9_]{2,}|飞机|电报|\bTG\b|tg搜', re.I),
    re.compile(r'https?://|www\.|w w w|[A-Za-z0-9\-]+\s*(\.|点|。|\[\.\]|\(点\)|（点）)\s*(com|cc|top|xyz|vip|net|co|club|fun|shop|app|cn)\b', re.I),
    re.compile(r'\b(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+'),
    re.compile(r'邀请码|邀 请 码|码[A-Z0-9]{4,}'),
]
SOFT = re.compile(r'头像|主页|私信|私聊|私我|私\s*$|扫码|二维码|评论区|扣\s*[169]|扣个|群号')


def channel(text):
    if any(r.search(text) for r in HARD):
        return 'hard'
    if SOFT.search(text):
        return 'soft'
    return None


def main(path=PATH):
    rows = []
    with open(path, encoding='utf-8') as f:
        header = f.readline().rstrip('\n').split('\t')
        assert header == ['text', 'orig_label', 'cat', 'split', 'source'], header
        for line in f:
            p = line.rstrip('\n').split('\t')
            assert len(p) == 5, p
            rows.append(p)
    texts = [r[0] for r in rows]
    print(f'rows: {len(rows)}   exact duplicates: {len(texts) - len(set(texts))}')
    by_cat = collections.Counter(r[2] for r in rows)
    by_lab = collections.Counter((r[2], r[1]) for r in rows)
    print('\nper cat:')
    for c in sorted(by_cat, key=int):
        print(f'  cat {c}: {by_cat[c]}')
    print('\nper orig_label:')
    for (c, lab), n in sorted(by_lab.items(), key=lambda x: (int(x[0][0]), x[0][1])):
        ch = [channel(r[0]) for r in rows if r[1] == lab]
        h = sum(x == 'hard' for x in ch); s = sum(x == 'soft' for x in ch)
        print(f'  cat {c}  {lab:<13} {n:>4}   with channel: hard {h:>3} ({h / n:5.1%})  any {h + s:>3} ({(h + s) / n:5.1%})')
    proh = [r for r in rows if r[2] in ('7', '9')]
    ch = [channel(r[0]) for r in proh]
    h = sum(x == 'hard' for x in ch); s = sum(x == 'soft' for x in ch)
    print(f'\nprohibited rows (cat 7+9): {len(proh)}')
    print(f'  with a hard channel (number/id/handle/link/invite code): {h} ({h / len(proh):.1%})')
    print(f'  with any channel incl. 头像/主页/私信/扫码 pointers:     {h + s} ({(h + s) / len(proh):.1%})')
    lens = sorted(len(t) for t in texts)
    print(f'\nlength (chars): min {lens[0]}  median {lens[len(lens) // 2]}  max {lens[-1]}')


if __name__ == '__main__':
    main(*sys.argv[1:])
