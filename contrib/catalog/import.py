#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""import.py: builds the generated part of the service catalog
(rules/gen-*.rules) from public domain lists. Run by `make catalog`, never
by the build: the generated files are committed.

    import.py [--sources DIR] [--rules DIR] [--overrides FILE] [--stats]

Sources (DIR defaults to $CATALOG_SOURCES, else ../shared/catalog-sources
next to the source tree):
  domain-list-community/data/  one file per service or company, and
      category-* files grouping them (v2fly, MIT). Only whole-domain facts
      are taken (plain and "domain:" lines); "full:", "keyword:" and
      "regexp:" lines are not, since a rule domain always covers its
      sub-domains. Lines marked @ads go to a separate "<id>-ads" service
      in the infra-ads category.
  ndpi/src/lib/ndpi_content_match.c.inc  nDPI's host names per application
      (facts only): an application whose names no other source covers
      becomes a service of its own, and nDPI's category places a
      domain-list-community service that no category-* file groups.

Rules, in order (each later one only sees what the earlier ones kept):
  1. The hand-written catalog (rules/*.rules except gen-*) wins: a domain
     at or below one of its domains is dropped from generated services, and
     a generated service whose id it already uses is dropped.
  2. contrib/catalog/overrides (see that file) wins over the sources:
     names, categories, risk, drops, merges, splits, extra domains.
  3. A domain listed by two generated services stays with the more
     specific one (the list of fewer domains); no domain is written twice.
Every generated service is preceded by a "# source:" comment naming the
list file and commit it came from.
"""
import argparse
import collections
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))

# domain-list-community category-* file -> catalog category. The first
# matching entry of a service's categories wins, so the more telling
# categories come first.
DLC_CATEGORIES = [
    ("category-porn", "adult"),
    ("category-betting-ru", "gambling"),
    ("category-cryptocurrency", "crypto"),
    ("category-ddns", "dynamic-dns"),
    ("category-proxy-tunnels", "tunneling"),
    ("category-vpnservices", "vpn-proxy"),
    ("category-anticensorship", "vpn-proxy"),
    ("category-remote-control", "remote-access"),
    ("category-password-management", "password-manager"),
    ("category-ai-chat-!cn", "genai"),
    ("category-ai-!cn", "genai"),
    ("category-ai-cn", "genai"),
    ("category-ai-ru", "genai"),
    ("category-netdisk-!cn", "cloud-storage"),
    ("category-netdisk-cn", "cloud-storage"),
    ("category-urlshortner", "url-shortener"),
    ("category-pt", "p2p"),
    ("category-public-tracker", "p2p"),
    ("category-ipfs", "p2p"),
    ("category-documents-cn", "office-suite"),
    ("category-collaborate-cn", "collaboration"),
    ("category-voip", "conferencing"),
    ("category-communication", "messaging"),
    ("category-container", "developer"),
    ("category-dev", "developer"),
    ("category-dev-cn", "developer"),
    ("category-games", "games"),
    ("category-games-!cn", "games"),
    ("category-games-cn", "games"),
    ("category-game-platforms-download", "games"),
    ("category-game-accelerator-cn", "games"),
    ("category-enhance-gaming", "games"),
    ("category-social-media-!cn", "social-media"),
    ("category-social-media-cn", "social-media"),
    ("category-social-media-ir", "social-media"),
    ("category-emby", "streaming"),
    ("category-acg", "streaming"),
    ("category-entertainment", "streaming"),
    ("category-entertainment-cn", "streaming"),
    ("category-entertainment-ru", "streaming"),
    ("category-ads", "infra-ads"),
    ("category-ads-all", "infra-ads"),
    ("category-ads-ir", "infra-ads"),
    ("category-consent-management", "infra-ads"),
    ("category-cdn-!cn", "infra-cdn"),
    ("category-cdn-cn", "infra-cdn"),
    ("category-cas", "infra-pki"),
    ("category-ntp", "infra-network"),
    ("category-ntp-cn", "infra-network"),
    ("category-ntp-jp", "infra-network"),
    ("category-httpdns-cn", "infra-network"),
    ("category-doh", "vpn-proxy"),
    ("category-stun", "infra-network"),
    ("category-ip-geo-detect", "infra-network"),
    ("category-speedtest", "infra-network"),
    ("category-antivirus", "infra-update"),
    ("category-bank-cn", "web-finance"),
    ("category-bank-ir", "web-finance"),
    ("category-bank-jp", "web-finance"),
    ("category-bank-mm", "web-finance"),
    ("category-bank-ru", "web-finance"),
    ("category-finance", "web-finance"),
    ("category-securities-cn", "web-finance"),
    ("category-bourse-ir", "web-finance"),
    ("category-payment-ir", "web-finance"),
    ("category-insurance-ir", "web-finance"),
    ("category-ecommerce", "web-shopping"),
    ("category-ecommerce-ru", "web-shopping"),
    ("category-retail-ru", "web-shopping"),
    ("category-shopping-ir", "web-shopping"),
    ("category-food-cn", "web-shopping"),
    ("category-logistics-cn", "web-shopping"),
    ("category-travel-ir", "web-shopping"),
    ("category-travel-ru", "web-shopping"),
    ("category-automobile-cn", "web-shopping"),
    ("category-electronic-cn", "web-shopping"),
    ("category-gov-ir", "web-public"),
    ("category-gov-ru", "web-public"),
    ("category-education-cn", "web-public"),
    ("category-education-ir", "web-public"),
    ("category-education-ru", "web-public"),
    ("category-mooc-cn", "web-public"),
    ("category-scholar-!cn", "web-public"),
    ("category-scholar-cn", "web-public"),
    ("category-scholar-hk", "web-public"),
    ("category-scholar-ir", "web-public"),
    ("category-scholar-uk", "web-public"),
    ("category-hospital-cn", "web-public"),
    ("category-medicine-ru", "web-public"),
    ("category-olympiad-in-informatics", "web-public"),
    ("category-orgs", "web-public"),
    ("category-media", "web-news"),
    ("category-media-cn", "web-news"),
    ("category-media-ir", "web-news"),
    ("category-media-ru", "web-news"),
    ("category-media-ru-blocked", "web-news"),
    ("category-news-ir", "web-news"),
    ("category-tech-media", "web-news"),
    ("category-tech-media-ru", "web-news"),
    ("category-forums", "web-news"),
    ("category-forums-ir", "web-news"),
    ("category-forums-ru", "web-news"),
    ("category-blog-cn", "web-news"),
    ("category-novel", "web-news"),
    ("category-wiki-cn", "web-news"),
    ("category-web-archive", "web-other"),
]

# nDPI NDPI_PROTOCOL_CATEGORY_* -> catalog category, for services that no
# category-* file places (and for nDPI-only services).
NDPI_CATEGORIES = {
    "SOCIAL_NETWORK": "social-media", "ADULT_CONTENT": "adult",
    "STREAMING": "streaming", "VIDEO": "streaming", "MUSIC": "streaming",
    "COLLABORATIVE": "collaboration", "GAME": "games", "CHAT": "messaging",
    "VOIP": "conferencing", "VPN": "vpn-proxy", "MAIL": "webmail",
    "REMOTE_ACCESS": "remote-access", "DOWNLOAD_FT": "file-sharing",
    "DATA_TRANSFER": "file-sharing", "SW_UPDATE": "infra-update",
    "SYSTEM_OS": "infra-update", "CONNECTIVITY_CHECK": "infra-network",
    "NETWORK": "infra-network", "CYBERSECURITY": "infra-update",
    "MEDIA": "infra-cdn", "SHOPPING": "web-shopping", "WEB": "web-other",
    "CLOUD": "web-other", "VIRTUAL_ASSISTANT": "web-other",
    "DATABASE": "developer", "CRYPTO_CURRENCY": "crypto",
    "MINING": "crypto", "DOWNLOAD": "file-sharing",
}

# Risk when the overrides say nothing: by category.
RISK = {
    "adult": "high", "gambling": "high", "crypto": "high",
    "dynamic-dns": "high", "tunneling": "critical", "vpn-proxy": "high",
    "remote-access": "critical", "password-manager": "high",
    "genai": "high", "cloud-storage": "high", "file-sharing": "high",
    "url-shortener": "medium", "p2p": "high", "paste": "high",
    "object-storage": "high", "cloud-console": "high",
    "developer": "medium", "crm-saas": "medium", "e-signature": "medium",
    "identity": "medium",
    "office-suite": "medium", "webmail": "high",
}
DEFAULT_RISK = "low"

ID_RE = re.compile(r"[^a-z0-9-]+")
DOMAIN_RE = re.compile(
    r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
    r"(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$")
IPV4_RE = re.compile(r"^[0-9.]+$")


def service_id(s):
    s = ID_RE.sub("-", s.lower().replace("!", "not-")).strip("-")
    return re.sub("-+", "-", s)


def good_domain(d):
    return DOMAIN_RE.match(d) is not None and not IPV4_RE.match(d)


def commit_of(path):
    with open(path) as f:
        m = re.search(r"`([0-9a-f]{40})`", f.read())
    return m.group(1) if m else "unknown"


def under(d, doms):
    """The element of the set doms that d is at or below, or None."""
    labels = d.split(".")
    for i in range(len(labels)):
        p = ".".join(labels[i:])
        if p in doms:
            return p
    return None


# ---------------------------------------------------------------- sources

def read_dlc(data):
    """{file: {"domains": [(domain, attrs)], "includes": [(file, attrs)]}}"""
    out = {}
    for name in sorted(os.listdir(data)):
        path = os.path.join(data, name)
        if not os.path.isfile(path):
            continue
        ent = {"domains": [], "includes": []}
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.split("#", 1)[0].strip()
                if not line:
                    continue
                words = line.split()
                t, attrs = words[0], [w[1:] for w in words[1:]
                                      if w.startswith("@")]
                if t.startswith("include:"):
                    ent["includes"].append((t[8:], attrs))
                    continue
                if t.startswith(("full:", "keyword:", "regexp:")):
                    continue
                if t.startswith("domain:"):
                    t = t[7:]
                t = t.lower().rstrip(".")
                if good_domain(t):
                    ent["domains"].append((t, attrs))
        out[name] = ent
    return out


NDPI_RE = re.compile(r'\{\s*"([^"]+)",\s*"([^"]+)",\s*NDPI_PROTOCOL_\w+,'
                     r'\s*NDPI_PROTOCOL_CATEGORY_(\w+)')


def read_ndpi(path):
    """[(domain, app, category)] of host_match[] whole-domain patterns."""
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    start = text.find("host_match[]")
    end = text.find("};", start)
    for m in NDPI_RE.finditer(text, start, end):
        pat, app, cat = m.group(1).lower(), m.group(2), m.group(3)
        if pat.startswith(("*.", ".")) or pat.endswith(".") or "*" in pat:
            continue
        if good_domain(pat):
            out.append((pat, app, cat))
    return out


def read_hand(rules):
    """(service ids, domains) of the hand-written catalog."""
    ids, doms = set(), set()
    for name in sorted(os.listdir(rules)):
        if not name.endswith(".rules") or name.startswith("gen-"):
            continue
        with open(os.path.join(rules, name), encoding="utf-8") as f:
            for line in f:
                w = line.split("#", 1)[0].split()
                if len(w) >= 2 and w[0] in ("service", "override") and \
                        w[-1] == "{":
                    ids.add(w[-2])
                elif w and w[0] == "domains":
                    for d in w[1:]:
                        doms.add(d.lower().removeprefix("*."))
    return ids, doms


def read_categories(rules):
    cats = set()
    with open(os.path.join(rules, "categories.rules")) as f:
        for line in f:
            w = line.split()
            if len(w) == 3 and w[0] == "category" and w[2] == "{":
                cats.add(w[1])
    return cats


def tokens(line):
    out, cur, q, i = [], "", False, 0
    while i < len(line):
        c = line[i]
        if q:
            if c == "\\" and i + 1 < len(line):
                cur += line[i + 1]
                i += 1
            elif c == '"':
                q = False
                out.append(cur)
                cur = None
            else:
                cur += c
        elif c == '"':
            q, cur = True, ""
        elif c == "#":
            break
        elif c.isspace():
            if cur:
                out.append(cur)
            cur = ""
        else:
            cur = (cur or "") + c
        i += 1
    if cur:
        out.append(cur)
    return out


def read_overrides(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            w = tokens(line)
            if w:
                out.append((n, w))
    return out


# ---------------------------------------------------------------- build

class Svc:
    def __init__(self, sid, name, source, category=None):
        self.id = sid
        self.name = name
        self.source = source
        self.category = category
        self.vendor = None
        self.risk = None
        self.notes = None
        self.domains = []       # in order, no repeats
        self.instance = []      # "instance" patterns, in order
        self.instance_except = []
        # which list a domain stays with when two claim it: lower wins
        self.tier = 0 if source.startswith("domain-list-community") and \
            "category-" not in source else 1 if \
            source.startswith("domain-list-community") else 2

    def add(self, d):
        if d not in self.domains:
            self.domains.append(d)


def dlc_categories(dlc):
    """{service file: [category files that include it, transitively]}"""
    memb = collections.defaultdict(set)

    def walk(cat, f, seen):
        if f in seen or f not in dlc:
            return
        seen.add(f)
        for inc, attrs in dlc[f]["includes"]:
            if attrs:
                # "include:amazon @ads": only part of it (split off as
                # "<id>-ads" already), so no category for the whole
                continue
            if inc.startswith("category-"):
                walk(cat, inc, seen)
            else:
                memb[inc].add(cat)
                # a company's own includes inherit nothing: "google"
                # includes "android", which is not a search engine
    for cat in dlc:
        if cat.startswith("category-"):
            walk(cat, cat, set())
    return memb


def pretty(name):
    special = {"ai": "AI", "cn": "CN", "io": "IO", "tv": "TV", "vpn": "VPN",
               "dns": "DNS", "aws": "AWS", "api": "API", "cdn": "CDN"}
    parts = re.split(r"[-_]", name)
    return " ".join(special.get(p, p[:1].upper() + p[1:]) for p in parts
                    if p)


def build(args):
    src = args.sources
    dlc_dir = os.path.join(src, "domain-list-community")
    ndpi_dir = os.path.join(src, "ndpi")
    dlc_commit = commit_of(os.path.join(dlc_dir, "SOURCE.md"))
    ndpi_commit = commit_of(os.path.join(ndpi_dir, "SOURCE.md"))
    dlc = read_dlc(os.path.join(dlc_dir, "data"))
    ndpi = read_ndpi(os.path.join(ndpi_dir, "src", "lib",
                                  "ndpi_content_match.c.inc"))
    hand_ids, hand_doms = read_hand(args.rules)
    cats = read_categories(args.rules)
    memb = dlc_categories(dlc)
    catrank = {c: i for i, (c, _) in enumerate(DLC_CATEGORIES)}
    catmap = dict(DLC_CATEGORIES)
    ndpi_cat = {}
    for d, app, c in ndpi:
        ndpi_cat.setdefault(d, c)

    svcs = collections.OrderedDict()
    # 1. one service per domain-list-community file with domains
    for f, ent in dlc.items():
        if f.startswith("category-"):
            continue
        sid = service_id(f)
        mine = [d for d, a in ent["domains"] if "ads" not in a]
        ads = [d for d, a in ent["domains"] if "ads" in a]
        source = "domain-list-community data/%s @ %s" % (f, dlc_commit)
        cs = sorted(memb.get(f, ()), key=lambda c: catrank.get(c, 999))
        cat = next((catmap[c] for c in cs if c in catmap), None)
        if cat is None:
            cat = next((NDPI_CATEGORIES.get(ndpi_cat[d]) for d in mine
                        if d in ndpi_cat and
                        NDPI_CATEGORIES.get(ndpi_cat[d])), None)
        if mine:
            s = svcs[sid] = Svc(sid, pretty(f), source, cat)
            for d in mine:
                s.add(d)
        if ads:
            s = svcs[sid + "-ads"] = Svc(sid + "-ads",
                                         pretty(f) + " ads", source,
                                         "infra-ads")
            for d in ads:
                s.add(d)
    # 2. domains listed directly in a category-* file: one service per
    # registrable-looking domain (the last two labels, three under a
    # two-letter second level such as co.uk).
    for f, ent in dlc.items():
        if not f.startswith("category-") or f not in catmap:
            continue
        cat = catmap[f]
        source = "domain-list-community data/%s @ %s" % (f, dlc_commit)
        if cat == "adult":
            # thousands of sites: one service for the list
            sid = "adult-sites"
            s = svcs.setdefault(sid, Svc(sid, "Adult sites", source, cat))
            for d, a in ent["domains"]:
                s.add(d)
            continue
        for d, a in ent["domains"]:
            sid = service_id(d.replace(".", "-"))
            if sid in svcs and svcs[sid].source != source:
                sid = service_id(f[9:] + "-" + sid)
            s = svcs.setdefault(sid, Svc(sid, d, source,
                                         "infra-ads" if "ads" in a else cat))
            s.add(d)
    # 3. nDPI applications
    apps = collections.OrderedDict()
    for d, app, c in ndpi:
        apps.setdefault(app, []).append((d, c))
    ndpi_source = ("nDPI src/lib/ndpi_content_match.c.inc host_match @ %s"
                   % ndpi_commit)
    for app, lst in apps.items():
        sid = service_id(app)
        if sid in svcs:
            # the same service in both lists: one service, both sources
            s = svcs[sid]
            s.source += "; " + ndpi_source
        else:
            cat = NDPI_CATEGORIES.get(lst[0][1], "web-other")
            s = svcs[sid] = Svc(sid, app, ndpi_source + " (%s)" % app,
                                cat)
        for d, c in lst:
            s.add(d)

    # overrides
    apply_overrides(args, svcs, cats)

    # hand-written wins
    leftovers = {}
    for sid in list(svcs):
        if sid in hand_ids:
            rest = [d for d in svcs[sid].domains
                    if under(d, hand_doms) is None]
            if rest:
                leftovers[sid] = rest
            del svcs[sid]
    for s in svcs.values():
        s.domains = [d for d in s.domains if under(d, hand_doms) is None]
    # one owner per domain: the more specific list
    owner = {}
    for s in sorted(svcs.values(), key=lambda s: (s.tier, len(s.domains), s.id)):
        for d in s.domains:
            owner.setdefault(d, s.id)
    for s in svcs.values():
        mine = set(d for d in s.domains if owner[d] == s.id)
        # drop a domain covered by another of the same service
        s.domains = [d for d in s.domains if d in mine and
                     under(".".join(d.split(".")[1:]), mine) is None]
    for sid in list(svcs):
        s = svcs[sid]
        if not s.domains:
            del svcs[sid]
        elif s.category is None:
            s.category = "web-other"
    bad = set(s.category for s in svcs.values()) - cats
    if bad:
        sys.exit("import.py: categories missing from categories.rules: %s"
                 % " ".join(sorted(bad)))
    return svcs, dlc_commit, ndpi_commit, leftovers


def apply_overrides(args, svcs, cats):
    for n, w in read_overrides(args.overrides):
        where = "%s:%d" % (os.path.relpath(args.overrides, TOP), n)
        op = w[0]

        def need(sid):
            if sid not in svcs:
                sys.exit("%s: no generated service \"%s\"" % (where, sid))
            return svcs[sid]
        if op == "set" and len(w) >= 4:
            s = need(w[1])
            key, val = w[2], " ".join(w[3:])
            if key not in ("name", "category", "risk", "vendor", "notes"):
                sys.exit("%s: cannot set \"%s\"" % (where, key))
            if key == "category" and val not in cats:
                sys.exit("%s: unknown category \"%s\"" % (where, val))
            setattr(s, key, val)
        elif op == "category" and len(w) >= 3:
            if w[1] not in cats:
                sys.exit("%s: unknown category \"%s\"" % (where, w[1]))
            for sid in w[2:]:
                need(sid).category = w[1]
        elif op == "drop" and len(w) >= 2:
            for sid in w[1:]:
                need(sid)
                del svcs[sid]
        elif op == "drop-domain" and len(w) >= 2:
            gone = set(w[1:])
            for s in svcs.values():
                s.domains = [d for d in s.domains
                             if under(d, gone) is None]
        elif op == "merge" and len(w) == 4 and w[2] == "into":
            a, b = need(w[1]), need(w[3])
            for d in a.domains:
                b.add(d)
            b.source += "; " + a.source
            del svcs[w[1]]
        elif op == "split" and len(w) >= 6:
            # split FROM NEWID CATEGORY "NAME" DOMAIN...
            a = need(w[1])
            if w[3] not in cats:
                sys.exit("%s: unknown category \"%s\"" % (where, w[3]))
            moved = set(w[5:])
            s = Svc(w[2], w[4], a.source + "; split in overrides", w[3])
            s.tier = -1
            for d in w[5:]:
                s.add(d)
            a.domains = [d for d in a.domains if d not in moved]
            svcs[w[2]] = s
        elif op == "add" and len(w) >= 5:
            # add NEWID CATEGORY "NAME" DOMAIN...: a service the sources
            # lack (source: the overrides file itself)
            if w[2] not in cats:
                sys.exit("%s: unknown category \"%s\"" % (where, w[2]))
            if w[1] in svcs:
                sys.exit("%s: \"%s\" exists" % (where, w[1]))
            s = Svc(w[1], w[3], "contrib/catalog/overrides line %d" % n,
                    w[2])
            s.tier = -1
            for d in w[4:]:
                s.add(d)
            moved = set(w[4:])
            for o in svcs.values():
                o.domains = [d for d in o.domains if d not in moved]
            svcs[w[1]] = s
        elif op == "domains" and len(w) >= 3:
            s = need(w[1])
            for d in w[2:]:
                s.add(d)
        elif op == "instance" and len(w) >= 3:
            need(w[1]).instance += w[2:]
        elif op == "instance-except" and len(w) >= 3:
            need(w[1]).instance_except += w[2:]
        else:
            sys.exit("%s: cannot read \"%s\"" % (where, " ".join(w)))


def quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write(args, svcs, dlc_commit, ndpi_commit):
    bycat = collections.defaultdict(list)
    for s in svcs.values():
        bycat[s.category].append(s)
    for name in os.listdir(args.rules):
        if name.startswith("gen-") and name.endswith(".rules"):
            os.unlink(os.path.join(args.rules, name))
    for cat, lst in sorted(bycat.items()):
        path = os.path.join(args.rules, "gen-%s.rules" % cat)
        with open(path, "w", encoding="utf-8") as f:
            f.write(
                "# SPDX-License-Identifier: MIT\n"
                "#\n"
                "# gen-%s.rules: services of category %s GENERATED by\n"
                "# contrib/catalog/import.py (make catalog); do not edit:\n"
                "# change contrib/catalog/overrides and run it again.\n"
                "# Domain facts from v2fly/domain-list-community %s\n"
                "# (MIT, Copyright (c) 2021-present v2fly) and from nDPI's\n"
                "# host-name table %s (facts only).\n"
                "# Hand-written rules/*.rules win over these.\n"
                % (cat, cat, dlc_commit[:12], ndpi_commit[:12]))
            for s in sorted(lst, key=lambda s: s.id):
                f.write("\n# source: %s\n" % s.source)
                f.write("service %s {\n" % s.id)
                f.write("\tname     %s\n" % quote(s.name))
                if s.vendor:
                    f.write("\tvendor   %s\n" % quote(s.vendor))
                f.write("\tcategory %s\n" % s.category)
                f.write("\trisk     %s\n" % (s.risk or RISK.get(
                    s.category, DEFAULT_RISK)))
                if s.notes:
                    f.write("\tnotes    %s\n" % quote(s.notes))
                doms = sorted(s.domains)
                for i in range(0, len(doms), 4):
                    f.write("\tdomains  %s\n" % " ".join(doms[i:i + 4]))
                for i in range(0, len(s.instance), 2):
                    f.write("\tinstance %s\n" % " ".join(
                        quote(p) for p in s.instance[i:i + 2]))
                for i in range(0, len(s.instance_except), 8):
                    f.write("\tinstance-except %s\n" % " ".join(
                        s.instance_except[i:i + 8]))
                f.write("}\n")
    with open(os.path.join(TOP, "mk", "catalog.am"), "w") as f:
        f.write("# SPDX-License-Identifier: ISC\n"
                "# The generated catalog files, written by\n"
                "# contrib/catalog/import.py (make catalog) with them; do"
                " not edit.\n"
                "dist_rules_DATA += \\\n")
        names = ["rules/gen-%s.rules" % c for c in sorted(bycat)]
        f.write(" \\\n".join("\t" + n for n in names) + "\n")
    return bycat


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sources", default=os.environ.get(
        "CATALOG_SOURCES", os.path.join(TOP, "..", "shared",
                                        "catalog-sources")))
    ap.add_argument("--rules", default=os.path.join(TOP, "rules"))
    ap.add_argument("--overrides", default=os.path.join(HERE, "overrides"))
    ap.add_argument("--stats", action="store_true")
    args = ap.parse_args()
    if not os.path.isdir(os.path.join(args.sources,
                                      "domain-list-community")):
        sys.exit("import.py: no sources in %s (set CATALOG_SOURCES)" %
                 args.sources)
    svcs, dc, nc, leftovers = build(args)
    bycat = write(args, svcs, dc, nc)
    print("import.py: %d services in %d generated files" %
          (len(svcs), len(bycat)))
    if args.stats:
        print("hand-written services the sources know more domains of"
              " (add them by hand if right):")
        for sid, rest in sorted(leftovers.items()):
            print("  %-20s %s" % (sid, " ".join(rest)))
        for cat, lst in sorted(bycat.items(), key=lambda x: -len(x[1])):
            print("  %-20s %5d" % (cat, len(lst)))


if __name__ == "__main__":
    main()
