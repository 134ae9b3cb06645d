#!/usr/bin/env python3
"""Checks for tests/interop/labels.sh (sensitivity labels written by docseal).

Each subcommand prints one line (what it saw, or why not) and exits 0 (ok), 1 (check failed) or
3 (a needed module is missing); `lo` prints PASS/FAIL lines itself.

  labels_oracle.py libs FILE ORIG SPEC...
      the Python Office libraries read FILE: openpyxl (xlsx: load_workbook().custom_doc_props),
      python-docx (docx) or python-pptx (pptx), the last two finding docProps/custom.xml and
      docMetadata/LabelInfo.xml through the package relationships; the MSIP_Label_* properties
      and LabelInfo labels must be exactly the SPECs, the content as in ORIG (sheet names,
      paragraph texts, slide count)
  labels_oracle.py labels FILE SPEC...
      the raw package parts (zipfile + ElementTree): same exact-set check as `libs`, plus
      vt:lpwstr values, fmtid and unique pids, content types and package relationships
  labels_oracle.py zipcmp ORIG NEW
      every entry of ORIG except the label-related ones (docProps/custom.xml,
      docMetadata/LabelInfo.xml, _rels/.rels, [Content_Types].xml) is in NEW with the very same
      local header, compressed bytes, data descriptor and central-directory record (but for its
      offset); NEW adds nothing but label parts; the relationships and content types of ORIG are
      all still in NEW
  labels_oracle.py inspect JSONL FILE SPEC...
      oracle-inspect.py's view (JSONL = its output for FILE and others) has the SPEC labels
  labels_oracle.py lo MANIFEST JSONL
      MANIFEST: TSV file, password, reference (a file whose LibreOffice text digest FILE must
      have, "=" for a reference file itself, "!" for a file that must not open), name; JSONL:
      oracle-lo-open.py --batch output for the same rows, in order
  labels_oracle.py show JSON SPEC...
      `docseal label show --json` output (file JSON) lists exactly the SPEC labels in force and
      in their locations, with no warnings
  labels_oracle.py parts FILE NAME...
      sha256 of each named zip entry of FILE ("-" when absent), one per line
  labels_oracle.py same-parts A B NAME...
      the named entries are byte-identical in the packages A and B (and both present)

SPEC: "id|tenant|name|method|bits|date|where", where = custom, labelinfo or both; name "" = no
Name property; date "" = any ISO 8601 UTC date; bits is the ContentBits number.
"""
import hashlib
import io
import json
import os
import re
import struct
import sys
import zipfile
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True

CUSTOM = "docProps/custom.xml"
LABELINFO = "docMetadata/LabelInfo.xml"
LABEL_PARTS = {CUSTOM, LABELINFO, "_rels/.rels", "[Content_Types].xml"}
NS_CP = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
NS_VT = "{http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes}"
NS_CLBL = "{http://schemas.microsoft.com/office/2020/mipLabelMetadata}"
NS_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
NS_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
RT_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
RT_LABELS = "http://schemas.microsoft.com/office/2020/02/relationships/classificationlabels"
CT_CUSTOM = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CT_LABELS = "application/vnd.ms-office.classificationlabels+xml"
DATE_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


class Bad(Exception):
    pass


def need(*mods):
    oracles = os.environ.get("DOCSEAL_ORACLES")
    if oracles:
        sys.path.insert(0, oracles)
        try:
            from _oracle_common import ensure_modules
        except ImportError:
            ensure_modules = None
        if ensure_modules:
            ensure_modules(*mods)  # re-executes under the oracle venv, or exits 3
            return
    for m in mods:
        try:
            __import__(m)
        except ImportError:
            print("python module %s missing (install the oracles)" % m)
            sys.exit(3)


def parse_specs(specs):
    out = []
    for s in specs:
        f = s.split("|")
        if len(f) != 7 or f[6] not in ("custom", "labelinfo", "both"):
            raise SystemExit("bad SPEC %r" % s)
        out.append(dict(id=f[0].lower().strip("{}"), tenant=f[1].lower().strip("{}"), name=f[2],
                        method=f[3], bits=f[4], date=f[5], where=f[6]))
    return out


# ---- what the label parts say ---------------------------------------------------------------
def custom_props(xml_bytes):
    """MSIP_Label_* properties of a custom.xml: {name: value}; checks vt:lpwstr, fmtid, pids."""
    root = ET.fromstring(xml_bytes)
    if root.tag != NS_CP + "Properties":
        raise Bad("custom.xml root is %s" % root.tag)
    props, pids = {}, set()
    for p in root.findall(NS_CP + "property"):
        pid = p.get("pid")
        if pid in pids or not pid or int(pid) < 2:
            raise Bad("custom.xml: pid %r duplicated or < 2" % pid)
        pids.add(pid)
        name = p.get("name") or ""
        if not name.startswith("MSIP_Label_"):
            continue
        if p.get("fmtid") != FMTID:
            raise Bad("custom.xml: %s has fmtid %s" % (name, p.get("fmtid")))
        kids = list(p)
        if len(kids) != 1 or kids[0].tag != NS_VT + "lpwstr":
            raise Bad("custom.xml: %s is not one vt:lpwstr (%s)" % (name, [k.tag for k in kids]))
        props[name] = kids[0].text or ""
    return props


def labelinfo_labels(xml_bytes):
    root = ET.fromstring(xml_bytes)
    if root.tag != NS_CLBL + "labelList":
        raise Bad("LabelInfo.xml root is %s" % root.tag)
    return [dict(el.attrib) for el in root.findall(NS_CLBL + "label")]


def check_custom(props, specs, what):
    """props: MSIP_Label_* name -> value; must be exactly the custom/both SPECs."""
    want_ids = {s["id"] for s in specs if s["where"] in ("custom", "both")}
    got_ids = set()
    for k in props:
        m = re.match(r"^MSIP_Label_([0-9a-fA-F-]{36})_(\w+)$", k)
        if not m:
            raise Bad("%s: odd property name %s" % (what, k))
        got_ids.add(m.group(1))
    if got_ids != want_ids:
        raise Bad("%s: MSIP_Label_* ids %s, want %s" % (what, sorted(got_ids), sorted(want_ids)))
    for s in specs:
        if s["where"] not in ("custom", "both"):
            continue
        pre = "MSIP_Label_%s_" % s["id"]
        want = {"Enabled": "true", "SiteId": s["tenant"], "Method": s["method"],
                "ContentBits": s["bits"]}
        if s["name"]:
            want["Name"] = s["name"]
        if s["date"]:
            want["SetDate"] = s["date"]
        for k, v in want.items():
            if props.get(pre + k) != v:
                raise Bad("%s: %s%s = %r, want %r" % (what, pre, k, props.get(pre + k), v))
        date = props.get(pre + "SetDate")
        if date is None or not DATE_RE.match(date):
            raise Bad("%s: %sSetDate = %r is no ISO 8601 UTC date" % (what, pre, date))
        allowed = set(want) | {"SetDate", "ActionId"}
        extra = [k for k in props if k.startswith(pre) and k[len(pre):] not in allowed]
        if extra:
            raise Bad("%s: unexpected properties %s" % (what, extra))
    return len(props)


def check_labelinfo(labels, specs, what):
    want = {s["id"]: s for s in specs if s["where"] in ("labelinfo", "both")}
    got = {}
    for a in labels:
        i = (a.get("id") or "")
        if not re.match(r"^\{[0-9a-f-]{36}\}$", i):
            raise Bad("%s: label id %r is not a lowercase braced GUID" % (what, i))
        got[i.strip("{}")] = a
    if set(got) != set(want):
        raise Bad("%s: LabelInfo ids %s, want %s" % (what, sorted(got), sorted(want)))
    for i, s in want.items():
        a = got[i]
        exp = {"enabled": "1", "siteId": "{%s}" % s["tenant"], "method": s["method"],
               "contentBits": s["bits"], "removed": "0"}
        for k, v in exp.items():
            if a.get(k) != v:
                raise Bad("%s: label %s %s=%r, want %r" % (what, i, k, a.get(k), v))
    return len(labels)


def expect_parts(has_custom, has_li, specs, what):
    wc = any(s["where"] in ("custom", "both") for s in specs)
    wl = any(s["where"] in ("labelinfo", "both") for s in specs)
    if wl and not has_li:
        raise Bad("%s: no LabelInfo part, want one" % what)
    if wc and not has_custom:
        raise Bad("%s: no custom-properties part, want one" % what)


def summary(specs):
    return ", ".join("%s..@%s" % (s["id"][:8], s["where"]) for s in specs) or "no labels"


# ---- libs ------------------------------------------------------------------------------------
def cmd_libs(path, orig, specs):
    # the kind from the file name, else from the original's (decrypted packages have no extension)
    ext = os.path.splitext(path)[1].lower()
    if ext not in (".docx", ".xlsx", ".pptx"):
        ext = os.path.splitext(orig)[1].lower()
    if ext == ".xlsx":
        need("openpyxl")
        import warnings
        warnings.simplefilter("ignore")
        import openpyxl
        wb = openpyxl.load_workbook(io.BytesIO(open(path, "rb").read()))  # no name check
        props = {p.name: p.value for p in wb.custom_doc_props.props
                 if p.name.startswith("MSIP_Label_")}
        kinds = {type(p).__name__ for p in wb.custom_doc_props.props
                 if p.name.startswith("MSIP_Label_")}
        if kinds - {"StringProperty"}:
            raise Bad("openpyxl: MSIP_Label_* property types %s, want StringProperty" % kinds)
        n = check_custom(props, specs, "openpyxl custom_doc_props")
        ow = openpyxl.load_workbook(io.BytesIO(open(orig, "rb").read()))
        if wb.sheetnames != ow.sheetnames:
            raise Bad("openpyxl: sheets %s, original %s" % (wb.sheetnames, ow.sheetnames))
        cells = [[c.value for c in row] for ws in wb for row in ws.iter_rows()]
        ocells = [[c.value for c in row] for ws in ow for row in ws.iter_rows()]
        if cells != ocells:
            raise Bad("openpyxl: cell values differ from the original")
        return ("openpyxl %s: %d MSIP_Label_* properties exact (%s), sheets %s and cells as original"
                % (openpyxl.__version__, n, summary(specs), wb.sheetnames))
    if ext == ".docx":
        need("docx")
        import docx
        lib = "python-docx %s" % getattr(docx, "__version__", "?")
        doc = docx.Document(path)
        pkg = doc.part.package
        content = [p.text for p in doc.paragraphs]
        ocontent = [p.text for p in docx.Document(orig).paragraphs]
        what_c = "%d paragraphs" % len(content)
    elif ext == ".pptx":
        need("pptx")
        import pptx
        lib = "python-pptx %s" % getattr(pptx, "__version__", "?")
        prs = pptx.Presentation(path)
        pkg = prs.part.package

        def texts(p):
            return [[sh.text_frame.text for sh in sl.shapes if sh.has_text_frame] for sl in p.slides]
        content = texts(prs)
        ocontent = texts(pptx.Presentation(orig))
        what_c = "%d slides" % len(content)
    else:
        raise SystemExit("libs: docx, xlsx or pptx")
    if content != ocontent:
        raise Bad("%s: text differs from the original" % lib)

    def related(rt):
        try:
            return pkg.part_related_by(rt)
        except KeyError:
            return None
    cpart, lpart = related(RT_CUSTOM), related(RT_LABELS)
    expect_parts(cpart is not None, lpart is not None, specs, lib)
    props = custom_props(cpart.blob) if cpart is not None else {}
    n = check_custom(props, specs, "%s %s" % (lib, cpart.partname if cpart is not None else "(no custom part)"))
    labels = labelinfo_labels(lpart.blob) if lpart is not None else []
    m = check_labelinfo(labels, specs, "%s %s" % (lib, lpart.partname if lpart is not None else "(no LabelInfo part)"))
    return ("%s: opens, %s as original; via package rels: %d MSIP_Label_* properties, %d LabelInfo "
            "labels, exact (%s)" % (lib, what_c, n, m, summary(specs)))


# ---- raw package parts ------------------------------------------------------------------------
def cmd_labels(path, specs):
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        if z.testzip() is not None:
            raise Bad("zip CRC error")
        rels = ET.fromstring(z.read("_rels/.rels"))
        ct = ET.fromstring(z.read("[Content_Types].xml"))
        has_c, has_l = CUSTOM in names, LABELINFO in names
        expect_parts(has_c, has_l, specs, "package")
        props = custom_props(z.read(CUSTOM)) if has_c else {}
        labels = labelinfo_labels(z.read(LABELINFO)) if has_l else []
    n = check_custom(props, specs, CUSTOM)
    m = check_labelinfo(labels, specs, LABELINFO)
    overrides = {o.get("PartName"): o.get("ContentType") for o in ct.findall(NS_CT + "Override")}
    targets = {}
    for r in rels.findall(NS_REL + "Relationship"):
        targets.setdefault(r.get("Type"), []).append(r.get("Target", "").lstrip("/"))
    for part, has, rt, ctype in ((CUSTOM, has_c, RT_CUSTOM, CT_CUSTOM),
                                 (LABELINFO, has_l, RT_LABELS, CT_LABELS)):
        if has:
            if overrides.get("/" + part) != ctype:
                raise Bad("[Content_Types].xml: /%s is %r, want %s" % (part, overrides.get("/" + part), ctype))
            if targets.get(rt) != [part]:
                raise Bad("_rels/.rels: %s targets %s, want [%s]" % (rt.rsplit("/", 1)[1], targets.get(rt), part))
        else:
            if "/" + part in overrides or rt in targets:
                raise Bad("%s absent but still in [Content_Types].xml or _rels/.rels" % part)
    return ("package parts: %d MSIP_Label_* lpwstr properties, %d LabelInfo labels, exact (%s); "
            "content types and package rels right" % (n, m, summary(specs)))


# ---- zip entries other than the label parts ---------------------------------------------------
def raw_entry(data, zi):
    off = zi.header_offset
    if data[off:off + 4] != b"PK\x03\x04":
        raise Bad("%s: no local header at %d" % (zi.filename, off))
    flags = struct.unpack_from("<H", data, off + 6)[0]
    nlen, elen = struct.unpack_from("<HH", data, off + 26)
    hdr = data[off:off + 30 + nlen + elen]
    body_at = off + 30 + nlen + elen
    body = data[body_at:body_at + zi.compress_size]
    desc = b""
    if flags & 8:
        p = body_at + zi.compress_size
        n = 16 if data[p:p + 4] == b"PK\x07\x08" else 12
        desc = data[p:p + n]
    return hdr, body, desc


def central_records(data):
    """{name: central directory record with the local-header offset zeroed}"""
    eocd = data.rfind(b"PK\x05\x06")
    if eocd < 0:
        raise Bad("no end of central directory")
    n, size, start = struct.unpack_from("<HII", data, eocd + 10)
    out, p = {}, start
    for _ in range(n):
        if data[p:p + 4] != b"PK\x01\x02":
            raise Bad("broken central directory at %d" % p)
        nlen, elen, clen = struct.unpack_from("<HHH", data, p + 28)
        rec = bytearray(data[p:p + 46 + nlen + elen + clen])
        rec[42:46] = b"\0\0\0\0"
        name = bytes(rec[46:46 + nlen]).decode("utf-8" if rec[8] & 0x08 or rec[9] & 0x08 else "cp437")
        out[name] = bytes(rec)
        p += 46 + nlen + elen + clen
    return out


def rel_set(xml):
    r = ET.fromstring(xml)
    return {(e.get("Id"), e.get("Type"), e.get("Target"), e.get("TargetMode")) for e in r}


def ct_set(xml):
    r = ET.fromstring(xml)
    return {(e.tag, e.get("Extension") or e.get("PartName"), e.get("ContentType")) for e in r}


def cmd_zipcmp(orig, new):
    a, b = open(orig, "rb").read(), open(new, "rb").read()
    za, zb = zipfile.ZipFile(orig), zipfile.ZipFile(new)
    ia = {zi.filename: zi for zi in za.infolist()}
    ib = {zi.filename: zi for zi in zb.infolist()}
    if len(ib) != len(zb.infolist()):
        raise Bad("duplicate entry names in %s" % os.path.basename(new))
    ca, cb = central_records(a), central_records(b)
    same = 0
    for name, zi in ia.items():
        if name in LABEL_PARTS:
            continue
        if name not in ib:
            raise Bad("%s missing" % name)
        zj = ib[name]
        if (zi.CRC, zi.compress_size, zi.file_size, zi.compress_type) != \
                (zj.CRC, zj.compress_size, zj.file_size, zj.compress_type):
            raise Bad("%s: CRC/sizes/method %s != %s" % (
                name, (hex(zi.CRC), zi.compress_size, zi.file_size, zi.compress_type),
                (hex(zj.CRC), zj.compress_size, zj.file_size, zj.compress_type)))
        ra, rb = raw_entry(a, zi), raw_entry(b, zj)
        for what, x, y in zip(("local header", "compressed bytes", "data descriptor"), ra, rb):
            if x != y:
                raise Bad("%s: %s differ (%d vs %d bytes)" % (name, what, len(x), len(y)))
        if ca.get(name) != cb.get(name):
            raise Bad("%s: central directory record differs (beyond the offset)" % name)
        same += 1
    added = sorted(set(ib) - set(ia))
    if set(added) - LABEL_PARTS:
        raise Bad("new entries %s" % sorted(set(added) - LABEL_PARTS))
    for name, fn in (("_rels/.rels", rel_set), ("[Content_Types].xml", ct_set)):
        if name in ia:
            lost = fn(za.read(name)) - fn(zb.read(name))
            if lost:
                raise Bad("%s lost %s" % (name, sorted(map(str, lost))[:3]))
    if zb.testzip() is not None:
        raise Bad("CRC error in %s" % os.path.basename(new))
    return ("%d/%d other entries identical (local header, compressed bytes, CRC, central record); "
            "rels and content types kept; added %s" % (same, len(ia), added or "nothing"))


# ---- oracle-inspect.py ------------------------------------------------------------------------
def xml_text(raw):
    return ET.fromstring("<v>%s</v>" % raw).text or ""


def json_objects(text):
    dec, i, out = json.JSONDecoder(), 0, []
    while True:
        j = text.find("{", i)
        if j < 0:
            return out
        obj, i = dec.raw_decode(text, j)
        out.append(obj)


def cmd_inspect(jsonl, path, specs):
    objs = [o for o in json_objects(open(jsonl, encoding="utf-8").read())
            if os.path.abspath(o.get("file", "")) == os.path.abspath(path)]
    if not objs:
        raise Bad("oracle-inspect.py said nothing about %s" % path)
    o = objs[0]
    labels = o.get("labels") or []
    li = [l for l in labels if l.get("source", "").lower().endswith("labelinfo.xml") and "id" in l]
    cu = [l for l in labels if l.get("source") == "docProps/custom.xml"]
    err = [l for l in labels if "error" in l]
    if err:
        raise Bad("oracle-inspect.py: %s" % err)
    # oracle-inspect.py reports the raw XML text of the values (a regex, no XML parser): decode
    # the five predefined entities and character references before comparing
    props = {}
    for l in cu:
        props.update({k: xml_text(v) for k, v in (l.get("msip_props") or {}).items()})
    n = check_custom(props, specs, "oracle-inspect.py msip_props")
    m = check_labelinfo(li, specs, "oracle-inspect.py LabelInfo labels")
    if specs and o.get("scheme") != "label":
        raise Bad("oracle-inspect.py scheme %r, want label" % o.get("scheme"))
    return ("oracle-inspect.py: format %s, scheme %s, %d LabelInfo labels, %d MSIP_Label_* properties (%s)"
            % (o.get("format"), o.get("scheme"), m, n, summary(specs)))


# ---- docseal label show --json ------------------------------------------------------------------
def cmd_show(path, specs):
    o = json.load(open(path, encoding="utf-8"))
    if o.get("warnings"):
        raise Bad("label show warns: %s" % o["warnings"])
    force = {l.get("id"): l for l in o.get("labels") or []}
    if set(force) != {s["id"] for s in specs}:
        raise Bad("labels in force %s, want %s" % (sorted(force), sorted(s["id"] for s in specs)))
    locs = o.get("locations") or {}
    for loc, wheres in (("custom", ("custom", "both")), ("labelinfo", ("labelinfo", "both"))):
        got = {l.get("id"): l for l in locs.get(loc) or []}
        want = {s["id"]: s for s in specs if s["where"] in wheres}
        if set(got) != set(want):
            raise Bad("locations.%s has %s, want %s" % (loc, sorted(got), sorted(want)))
        for i, s in want.items():
            l = got[i]
            exp = {"tenant": s["tenant"], "enabled": True, "method": s["method"],
                   "content_bits": int(s["bits"]), "removed": False}
            if loc == "custom":
                exp["name"] = s["name"] or None
                if s["date"]:
                    exp["set_date"] = s["date"]
            for k, v in exp.items():
                if l.get(k) != v:
                    raise Bad("locations.%s %s: %s=%r, want %r" % (loc, i[:8], k, l.get(k), v))
    for s in specs:
        if force[s["id"]].get("tenant") != s["tenant"]:
            raise Bad("label %s in force has tenant %s" % (s["id"][:8], force[s["id"]].get("tenant")))
    return ("container %s, %d labels in force (%s), locations %s"
            % (o.get("container"), len(force), summary(specs),
               {k: len(v) for k, v in locs.items() if v}))


# ---- LibreOffice ------------------------------------------------------------------------------
def cmd_lo(manifest, jsonl):
    rows = [ln.rstrip("\n").split("\t") for ln in open(manifest, encoding="utf-8") if ln.strip()]
    res = []
    for ln in open(jsonl, encoding="utf-8"):
        ln = ln.strip()
        if ln.startswith("{"):
            res.append(json.loads(ln))
    by_file = {}
    for i, r in enumerate(rows):
        o = res[i] if i < len(res) else {"ok": False, "error": "no answer from oracle-lo-open.py"}
        if o.get("file") not in (None, r[0]):
            o = {"ok": False, "error": "answers out of order (%s)" % o.get("file")}
        by_file.setdefault(r[0], o)
        rows[i].append(o)

    def said(o):
        keys = ("app", "pages", "sheets", "slides", "text_chars")
        return " ".join("%s=%s" % (k, o[k]) for k in keys if k in o) or o.get("error", "?")
    failed = 0
    for f, pw, ref, name, o in rows:
        if ref == "=":
            continue
        if ref == "!":
            if o.get("ok"):
                print("FAIL  LibreOffice %s: opened although it must not" % name)
                failed += 1
            else:
                print("PASS  LibreOffice %s: refused (%s)" % (name, (o.get("error") or "?")[:90]))
            continue
        r = by_file.get(ref, {})
        if not o.get("ok"):
            print("FAIL  LibreOffice opens %s: %s" % (name, o.get("error", "?")))
            failed += 1
        elif not r.get("ok"):
            print("FAIL  LibreOffice opens %s: opened [%s] but the original %s did not: %s"
                  % (name, said(o), os.path.basename(ref), r.get("error")))
            failed += 1
        elif (o.get("text_sha256"), o.get("app")) != (r.get("text_sha256"), r.get("app")):
            print("FAIL  LibreOffice opens %s: [%s] but text digest %s.. != %s.. of the original %s"
                  % (name, said(o), str(o.get("text_sha256"))[:12], str(r.get("text_sha256"))[:12],
                     os.path.basename(ref)))
            failed += 1
        else:
            print("PASS  LibreOffice opens %s: [%s], text digest = original %s"
                  % (name, said(o), os.path.basename(ref)))
    return failed


# ---- parts ------------------------------------------------------------------------------------
def part_sha(z, name):
    try:
        return hashlib.sha256(z.read(name)).hexdigest()
    except KeyError:
        return "-"


def main(argv):
    if not argv:
        raise SystemExit(__doc__)
    cmd, args = argv[0], argv[1:]
    try:
        if cmd == "libs":
            print(cmd_libs(args[0], args[1], parse_specs(args[2:])))
        elif cmd == "labels":
            print(cmd_labels(args[0], parse_specs(args[1:])))
        elif cmd == "zipcmp":
            print(cmd_zipcmp(args[0], args[1]))
        elif cmd == "inspect":
            print(cmd_inspect(args[0], args[1], parse_specs(args[2:])))
        elif cmd == "show":
            print(cmd_show(args[0], parse_specs(args[1:])))
        elif cmd == "lo":
            return 1 if cmd_lo(args[0], args[1]) else 0
        elif cmd == "parts":
            with zipfile.ZipFile(args[0]) as z:
                for n in args[1:]:
                    print(part_sha(z, n))
        elif cmd == "same-parts":
            with zipfile.ZipFile(args[0]) as za, zipfile.ZipFile(args[1]) as zb:
                out = []
                for n in args[2:]:
                    x, y = part_sha(za, n), part_sha(zb, n)
                    if x == "-" or y == "-":
                        raise Bad("%s absent (%s: %s, %s: %s)" % (n, os.path.basename(args[0]), x[:12],
                                                               os.path.basename(args[1]), y[:12]))
                    if x != y:
                        raise Bad("%s differs: %s.. vs %s.." % (n, x[:12], y[:12]))
                    out.append("%s %s.." % (n, x[:12]))
                print("byte-identical: " + ", ".join(out))
        else:
            raise SystemExit("unknown subcommand %s\n%s" % (cmd, __doc__))
    except Bad as e:
        print(str(e))
        return 1
    except Exception as e:  # a reader that throws is a failed check, with its reason on one line
        print("%s: %s" % (type(e).__name__, str(e).replace("\n", " ")[:300]))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
