#!/usr/bin/env python3
"""Assemble heldout2-zh.tsv from the hand-written rows in src/.

Everything here is mechanical: the row texts are hand-written in src/*.txt.
This script only
  * fills contact placeholders ({C} any channel, {L} link, {TEL} phone,
    {P} legit phone, {W} legit WeChat id, {Q} legit QQ) with invented ids,
    numbers and domains in varied written forms;
  * leaves out about one in five {C} placeholders in cat 7/9 rows, so that
    not every prohibited row carries a channel (never where the sentence
    would be left dangling, e.g. text ending in 联系/加/邀请码);
  * removes exact duplicates and shuffles with a fixed seed.
"""
import csv, glob, os, random, re, string

SEED = 20261202
rng = random.Random(SEED)
HERE = os.path.dirname(os.path.abspath(__file__))

FILES = {
    'c7_gambling': ('gambling', 7), 'c7_porn': ('porn', 7),
    'c9_fraud': ('fraud', 9), 'c9_telecom': ('telecom', 9),
    'c9_black': ('black-market', 9), 'c9_drugs': ('drugs', 9),
    'c9_weapons': ('weapons', 9), 'c9_loans': ('loans', 9),
    'c6_rumour': ('rumour', 6),
    'c0_chat': ('chat', 0), 'c0_review': ('review', 0),
    'c0_legit': ('legit-ad', 0), 'c0_warning': ('warning', 0),
    'c0_news': ('news', 0),
}

CN = '零一二三四五六七八九'
CIRC = '⓪①②③④⑤⑥⑦⑧⑨'
FULL = '０１２３４５６７８９'
used = set()


def uniq(fn):
    for _ in range(100):
        v = fn()
        if v not in used:
            used.add(v)
            return v
    return v


def qq_num():
    return uniq(lambda: str(rng.randint(1, 9)) + ''.join(rng.choice(string.digits) for _ in range(rng.randint(7, 9))))


def phone_num():
    def f():
        pre = rng.choice(['139', '138', '137', '136', '135', '159', '158', '188', '186', '177', '176', '150', '151', '182', '183', '199', '166'])
        mid = rng.choice(['0000', '0000', '0000', '0001', '0002', '0000', '0009', '0100'])
        return pre + mid + ''.join(rng.choice(string.digits) for _ in range(4))
    return uniq(f)


SYL = ['xiao', 'ai', 'le', 'jin', 'bao', 'fa', 'hong', 'yun', 'kk', 'mm', 'lu', 'yy', 'ling', 'tian', 'mei', 'hao', 'qq', 'zz', 'xin', 'da', 'duo', 'fu', 'wang', 'ming', 'an', 'nuo', 'vip', 'ok', 'sun', 'go']


def wx_id():
    def f():
        k = rng.random()
        if k < 0.45:
            return ''.join(rng.choice(SYL) for _ in range(rng.randint(1, 2))) + ''.join(rng.choice(string.digits) for _ in range(rng.randint(3, 5)))
        if k < 0.65:
            return rng.choice(SYL) + '_' + ''.join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(rng.randint(4, 6)))
        if k < 0.85:
            return ''.join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(2, 4))) + ''.join(rng.choice(string.digits) for _ in range(rng.randint(4, 6)))
        return rng.choice(['a', 'w', 'v', 'x']) + phone_num()
    return uniq(f)


def tg_handle():
    def f():
        base = ''.join(rng.choice(SYL) for _ in range(rng.randint(1, 3)))
        return base + rng.choice(['', '', '_', '88', '666', '2024', '_bot', '_kf', '99'])
    return uniq(f)


TLD = ['com', 'cc', 'top', 'xyz', 'vip', 'net', 'co', 'club', 'fun', 'shop', 'app', 'cn']


def domain_name():
    def f():
        k = rng.random()
        if k < 0.4:
            s = ''.join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(rng.randint(5, 8)))
        elif k < 0.8:
            s = ''.join(rng.choice(SYL) for _ in range(2)) + str(rng.randint(1, 999))
        else:
            s = rng.choice(['hf', 'ds', 'xy', 'bf', 'qk', 'ly', 'kb']) + rng.choice(['88', '99', '168', '777', '365', '520']) + rng.choice(['vip', 'bet', 'fun', 'app', 'tv', 'hd'])
        return s, rng.choice(TLD)
    return uniq(f)


def ip_lit():
    net = rng.choice(['192.0.2', '198.51.100', '203.0.113'])
    return f'{net}.{rng.randint(2, 254)}'


def spaced(s):
    return ' '.join(s)


def to_cn(s):
    return ''.join(CN[int(c)] for c in s)


def to_circ(s):
    return ''.join(CIRC[int(c)] for c in s)


def to_full(s):
    return ''.join(FULL[int(c)] for c in s)


def qq_form():
    n = qq_num()
    forms = [
        lambda: f'QQ{n}', lambda: f'Q:{n}', lambda: f'扣扣 {n}', lambda: f'企鹅{n}',
        lambda: f'q群{n}', lambda: f'扣 {spaced(n)}', lambda: f'Q {to_cn(n)}',
        lambda: f'扣{to_circ(n)}', lambda: f'QQ：{to_full(n)}', lambda: f'抠抠{n}',
        lambda: f'Q q {n[:3]} {n[3:6]} {n[6:]}', lambda: f'群号{n}', lambda: f'扣扣{to_cn(n)}',
        lambda: f'🐧{n}',
    ]
    return rng.choice(forms)()


def wx_form():
    w = wx_id()
    forms = [
        lambda: f'微信{w}', lambda: f'薇{w}', lambda: f'威{w}', lambda: f'V:{w}', lambda: f'vx {w}',
        lambda: f'➕V {w}', lambda: f'🛰{w}', lambda: f'加薇❤{w}', lambda: f'wx:{w}', lambda: f'V信 {w}',
        lambda: f'卫星 {w}', lambda: f'+v{w}', lambda: f'威❤ {w}', lambda: f'薇信：{spaced(w)}',
        lambda: f'v {w}', lambda: f'徽信{w}',
    ]
    return rng.choice(forms)()


def phone_form():
    p = phone_num()
    forms = [
        lambda: f'{p[:3]} {p[3:7]} {p[7:]}', lambda: p, lambda: f'电话{p}', lambda: f'☎️{p[:3]}-{p[3:7]}-{p[7:]}',
        lambda: f'tel {to_cn(p)}', lambda: f'{spaced(p)}', lambda: f'手机{to_full(p)}', lambda: f'📱{p}',
        lambda: f'电话同微{p}', lambda: f'打{to_circ(p)}',
    ]
    return rng.choice(forms)()


def tg_form():
    h = tg_handle()
    forms = [lambda: f'@{h}', lambda: f'飞机@{h}', lambda: f'纸飞机搜 {h}', lambda: f'TG: @{h}', lambda: f'✈️ @{h}', lambda: f'电报 {h}', lambda: f'tg搜索@{h}']
    return rng.choice(forms)()


def link_form():
    s, t = domain_name()
    path = rng.choice(['', '', '', '/reg', '/m', '/?i=' + str(rng.randint(1000, 9999)), '/a/' + ''.join(rng.choice(string.ascii_lowercase) for _ in range(4))])
    forms = [
        lambda: f'https://{s}.{t}{path}', lambda: f'http://{s}.{t}', lambda: f'{s}.{t}', lambda: f'www.{s}.{t}',
        lambda: f'{s}点{t}', lambda: f'{s}。{t}', lambda: f'{s}[.]{t}', lambda: f'w w w . {s} . {t}',
        lambda: f'{s}(点){t}', lambda: f'http://{ip_lit()}:{rng.choice([8080, 8888, 9001, 6688, 88])}',
        lambda: f'{ip_lit()}/{rng.choice(["reg", "m", "vip"])}', lambda: f'{s} 点 {t}', lambda: f'网址{s}.{t}',
        lambda: f'复制打开 {s}。{t}', lambda: f'{s}.{t}（复制到浏览器）',
    ]
    return rng.choice(forms)()


def invite_form():
    code = ''.join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(rng.randint(4, 6)))
    return rng.choice([f'邀请码{code}', f'邀请码：{code}', f'注册填邀请码 {code}', f'码{code}'])


def soft_form():
    return rng.choice(['看我头像', '扫码进群，二维码在主页', '详情私信', '主页有联系方式', '点我头像加好友', '联系方式在主页置顶', '有意私聊', '头像扫一扫'])


def any_form():
    r = rng.random()
    if r < 0.27: return wx_form()
    if r < 0.47: return qq_form()
    if r < 0.59: return phone_form()
    if r < 0.68: return tg_form()
    if r < 0.86: return link_form()
    if r < 0.92: return invite_form()
    return soft_form()


def hinted_form(prefix):
    if re.search(r'邀请码|邀 请 码', prefix[-6:]):
        return ''.join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(5))
    if re.search(r'微信|加V|加v|薇|vx|V信', prefix):
        return wx_form()
    if re.search(r'扣1|扣6|扣9|扣个', prefix):
        return any_form()
    if re.search(r'QQ|扣扣|群号', prefix):
        return qq_form()
    if re.search(r'链接|网址|地址|下载|点击|点这里|浏览器|安装包|APP|网站|发布页|点开|👉', prefix):
        return link_form()
    if re.search(r'电话|致电|打电话', prefix):
        return phone_form()
    return any_form()


NEEDS = r'点这里|链接|网址|地址|下载|邀请码|加我|联系|加V|加微信|加客服|点击|扫码|发布页|👉'
DANGLING = ('加', '联系', '邀请码', '邀 请 码', '在这', '点击', '私', '地址', '链接', '码', '加我')


def legit_phone(prefix):
    p = phone_num()
    f = rng.choice([p, f'{p[:3]} {p[3:7]} {p[7:]}', f'{p[:3]}-{p[3:7]}-{p[7:]}'])
    if prefix.endswith(('电话', '联系', '致电', '联系我', '请联系', '电话同微信')):
        return f
    return rng.choice(['电话', '电话', '', '手机', '联系电话', '电话（微信同号）']) + f


def legit_wx(prefix):
    w = wx_id()
    if prefix.endswith(('微信', '加')):
        return w
    return rng.choice(['微信', '微信', '加微信', 'V信', '微信号']) + w


def legit_qq(prefix):
    n = qq_num()
    return n if prefix.endswith(('Q', '扣')) else rng.choice(['QQ', 'QQ：', '扣扣']) + n


PH = re.compile(r'\{(C|L|TEL|P|W|Q)\}')


def fill(line, cat, lab):
    out = []
    pos = 0
    for m in PH.finditer(line):
        prefix = line[:m.start()].rstrip()
        kind = m.group(1)
        if kind == 'C':
            drop = (cat in (7, 9) and rng.random() < 0.24 and not prefix.endswith(DANGLING)
                    and not re.search(NEEDS, prefix) and line[m.end():].strip() == '')
            rep = '' if drop else hinted_form(prefix)
        elif kind == 'L':
            rep = link_form()
        elif kind == 'TEL':
            p = phone_num()
            rep = rng.choice([p, f'{p[:3]}-{p[3:7]}-{p[7:]}', '400-' + '000-' + str(rng.randint(1000, 9999)), '0' + rng.choice(['10', '21', '755', '571']) + '-' + '6000' + str(rng.randint(1000, 9999))])
        elif kind == 'P':
            rep = legit_phone(prefix)
        elif kind == 'W':
            rep = legit_wx(prefix)
        else:
            rep = legit_qq(prefix)
        out.append(line[pos:m.start()])
        out.append(rep)
        pos = m.end()
    out.append(line[pos:])
    s = ''.join(out)
    s = re.sub(r'[ \u3000]+$', '', s)
    s = re.sub(r'\s{2,}', ' ', s)
    s = s.replace('，，', '，').rstrip('，, ')
    return s.strip()


def main():
    rows, seen = [], set()
    for stem, (lab, cat) in FILES.items():
        for line in open(os.path.join(HERE, 'src', stem + '.txt'), encoding='utf-8'):
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            t = fill(line, cat, lab)
            assert '\t' not in t and '\n' not in t and '"' not in t, t
            if t in seen:
                continue
            seen.add(t)
            rows.append((t, lab, cat))
    rng2 = random.Random(SEED)
    rng2.shuffle(rows)
    with open(os.path.join(HERE, 'heldout2-zh.tsv'), 'w', encoding='utf-8', newline='') as f:
        f.write('text\torig_label\tcat\tsplit\tsource\n')
        for t, lab, cat in rows:
            f.write(f'{t}\t{lab}\t{cat}\ttest\theldout-v2\n')
    print(len(rows), 'rows written')


if __name__ == '__main__':
    main()
