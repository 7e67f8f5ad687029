"""Derive the GB/T 39116-2020 pack from the DB12/T 1073-2021 pack.

The national requirement and weight tables were not available (STANDARDS.md
§1.4, §2.3).  The requirement catalogue is DB12/T 1073-2021's (tables 1-9,
the 20 subdomains the two models share), used as a stand-in for the
national requirements: no source says DB12 repeats them item by item (seed
001 only cites GB/T 39116 as a normative reference, and the one national
list seen, seed 002's 信息安全, differs).  The level descriptions are the
national wording as seed 002 shows it.  The weights keep each shared
subdomain's DB12 absolute weight (tables 14 and 15), drop the DB12-only
subdomains (经营管控, 融合管理, IT运维) and renormalise exactly.

    python tools/build_gbt39116.py [--out-dir DIR]

writes DIR/pack.json and DIR/crosswalks/db12t1073-gbt39116.json (DIR is
the pack's package folder by default).
"""

from __future__ import annotations

import argparse
import json
import re
from fractions import Fraction
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]
DB12 = ROOT / "packs/db12t1073/src/maturity_pack_db12t1073/pack.json"
OUT_DIR = ROOT / "packs/gbt39116/src/maturity_pack_gbt39116"
DROPPED = ("business-control", "fusion-management", "it-operations")
SEED001 = "001_ef983f31d08d7f03.txt"
SEED002 = "002_cc846355758f476d.txt"
VERSION = "0.2.0"

# Seed 002 (CQC 2022 presentation), "智能制造能力成熟度标准解读", lines
# 442-460: the five levels in the national wording (bold marks removed).
LEVELS_SEED002 = {
    1: (442, 444, "企业应开始对实施智能制造的基础和条件进行规划，能够对核心业务活动（设计、生产、物流、销售、服务）进行流程化管理"),
    2: (446, 448, "企业应采用自动化技术、信息技术手段对核心装备和业务活动等进行改造和规范，实现单一业务活动的数据共享"),
    3: (450, 452, "企业应对装备、系统等开展集成，实现跨业务活动间的数据共享"),
    4: (454, 456, "企业应对人员、资源、制造等进行数据挖掘，形成知识、模型等，实现对核心业务活动的精准预测和优化"),
    5: (458, 460, "企业应基于模型持续驱动业务活动的优化和创新，实现产业链协同并衍生新的制造模式和商业模式"),
}

# Seed 002 lines 515-519: a diagnostic example listing the national 信息安全
# requirements in four rows (10 in all).  DB12 requirement -> (line, row).
INFOSEC_SEED002 = {
    "information-security.security-management.l1": (516, 1),
    "information-security.risk-assessment.l2": (517, 2),
    "information-security.intrusion-protection.l2": (517, 2),
    "information-security.security-configuration.l2": (517, 2),
    "information-security.intrusion-protection.l3": (518, 3),
    "information-security.security-configuration.l3": (518, 3),
    "information-security.intrusion-protection.l4": (519, 4),
    "information-security.security-configuration.l4": (519, 4),
    "information-security.security-configuration.l5": (519, 4),
}

# Seed 002 lines 967-981: national subdomain names beside diagnostic
# questions (spelling where it differs from this pack's).
SUBDOMAINS_SEED002 = {
    "procurement": (967, None), "planning-scheduling": (968, None),
    "production-operations": (969, None), "equipment-management": (970, None),
    "safety-environment": (971, "安全与环保"),
    "warehousing-distribution": (972, "仓储与配送"),
    "energy-management": (973, None), "customer-service": (975, None),
    "product-service": (976, None), "organisational-strategy": (977, None),
    "personnel-skills": (978, None), "data": (979, None),
    "integration": (980, None), "information-security": (981, None),
}


def T(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


def exact(value: Fraction) -> str:
    """Exact string: a decimal where one exists, else n/d."""
    den = value.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        return f"{value.numerator}/{value.denominator}"
    places = max(twos, fives)
    scaled = value * 10**places
    text = str(scaled.numerator).rjust(places + 1, "0")
    return text if places == 0 else f"{text[:-places]}.{text[-places:]}".rstrip("0").rstrip(".")


def build(db12: dict) -> tuple[dict, dict]:
    """The pack and the crosswalk, from the DB12 pack's data."""
    names = {}
    parents = {}

    def walk(nodes, parent):
        for n in nodes:
            names[n["id"]] = n["name"]
            parents[n["id"]] = parent
            walk(n.get("children", []), n["id"])

    walk(db12["nodes"], None)

    def sub(sid):
        return {"id": sid, "kind": "subdomain", "name": names[sid]}

    def single(sid, zh, en):
        return {"id": f"{sid}-domain", "kind": "domain", "name": T(zh, en), "children": [sub(sid)]}

    nodes = [
        {"id": "personnel", "kind": "element", "name": T("人员", "Personnel"), "children": [
            single("organisational-strategy", "组织战略", "Organisational strategy"),
            single("personnel-skills", "人员技能", "Personnel skills")]},
        {"id": "technology", "kind": "element", "name": T("技术", "Technology"), "children": [
            single("data", "数据", "Data"),
            single("integration", "集成", "Integration"),
            single("information-security", "信息安全", "Information security")]},
        {"id": "resources", "kind": "element", "name": T("资源", "Resources"), "children": [
            single("equipment", "装备", "Equipment"),
            single("network", "网络", "Network")]},
        {"id": "manufacturing", "kind": "element", "name": T("制造", "Manufacturing"), "children": [
            {"id": "design", "kind": "domain", "name": T("设计", "Design"),
             "children": [sub("product-design"), sub("process-design")]},
            {"id": "production", "kind": "domain", "name": T("生产", "Production"), "children": [
                sub(s) for s in ("procurement", "planning-scheduling", "production-operations",
                                 "equipment-management", "warehousing-distribution",
                                 "safety-environment", "energy-management")]},
            single("logistics", "物流", "Logistics"),
            single("sales", "销售", "Sales"),
            {"id": "service", "kind": "domain", "name": T("服务", "Service"),
             "children": [sub("customer-service"), sub("product-service")]}]},
    ]
    leaves = []
    tree_parent = {}

    def index(ns, parent):
        for n in ns:
            tree_parent[n["id"]] = parent
            if "children" in n:
                index(n["children"], n["id"])
            else:
                leaves.append(n["id"])

    index(nodes, None)
    assert len(leaves) == 20

    requirements = []
    for r in db12["requirements"]:
        if r["node"] in DROPPED:
            continue
        prov = r["provenance"]
        note = (
            "GB/T 39116-2020's requirement tables were not available. This is DB12/T 1073-2021's requirement, "
            "used as a stand-in for the national one; no source says DB12/T 1073-2021 repeats the national "
            "requirements, and whether GB/T 39116-2020 has this requirement at this level is not known."
        )
        if r["id"] in INFOSEC_SEED002:
            line, row = INFOSEC_SEED002[r["id"]]
            note += (
                f" Seed 002 (CQC 2022, line {line}) lists a national 信息安全 requirement with this content in "
                f"row {row} of its four"
                + ("." if row == r["level"] else f", while DB12/T 1073-2021 puts it at level {r['level']}.")
            )
        elif r["node"] == "information-security":
            note += " Seed 002's list of the national 信息安全 requirements (lines 515-519, 10 in four rows) has none with this content."
        requirements.append({
            **{k: r[k] for k in ("id", "node", "level", "item", "text")},
            "provenance": {
                "status": "derived",
                "source": "DB12/T 1073-2021, as a stand-in for GB/T 39116-2020 clause 7",
                "clause": prov["clause"],
                "table": f"DB12/T 1073-2021 {prov['table']}",
                "seed": prov["seed"],
                "lines": prov["lines"],
                "note": note,
            },
        })

    seed002 = {
        "procurement": "0.05", "planning-scheduling": "0.06", "production-operations": "0.06",
        "equipment-management": "0.05", "safety-environment": "0.05",
        "warehousing-distribution": "0.05", "energy-management": "0.05",
    }
    profiles = []
    for prof in db12["profiles"]:
        w = {k: Fraction(v) for k, v in prof["weights"].items()}
        excluded = set(prof.get("exclude", []))

        def absolute(nid):
            value = w[nid]
            p = parents[nid]
            while p is not None:
                value *= w[p]
                p = parents[p]
            return value

        abs_w = {leaf: absolute(leaf) for leaf in leaves if leaf not in excluded}
        kept = sum(abs_w.values())
        abs_w = {k: v / kept for k, v in abs_w.items()}
        # Sum absolute weights up the national tree, then make them relative.
        total = dict(abs_w)
        for leaf in abs_w:
            p = tree_parent[leaf]
            while p is not None:
                total[p] = total.get(p, Fraction(0)) + abs_w[leaf]
                p = tree_parent[p]
        weights = {}
        for nid, value in total.items():
            p = tree_parent[nid]
            weights[nid] = exact(value / (total[p] if p else 1))
        assert sum(Fraction(weights[n]) for n in total if tree_parent[n] is None) == 1
        dropped = 1 - kept
        tables = re.findall(r"表(\d+)", prof["provenance"]["table"])
        in_scope = [leaf for leaf in leaves if leaf not in excluded]
        scope_en = (
            f"all {len(leaves)} subdomains" if not excluded else
            f"{len(in_scope)} of the {len(leaves)} subdomains (no "
            + " and no ".join(names[n]["zh"] for n in sorted(excluded, key=leaves.index)) + ")"
        )
        profiles.append({
            "id": prof["id"],
            "name": prof["name"],
            **({"default": True} if prof.get("default") else {}),
            "description": T(
                f"由DB12/T 1073-2021推导（{prof['description']['zh']}）：共有能力子域保留DB12绝对权重，"
                f"去掉DB12独有能力子域后按{exact(kept)}归一化。",
                f"Derived from DB12/T 1073-2021 tables {' and '.join(tables)}: {scope_en}; each shared subdomain keeps "
                f"its DB12 absolute weight, the DB12-only subdomains are dropped and the rest renormalised by {exact(kept)}.",
            ),
            "weights": dict(sorted(weights.items())),
            **({"exclude": sorted(excluded)} if excluded else {}),
            "mandatory": ["personnel", "technology", "resources", "production"],
            "provenance": {
                "status": "derived",
                "source": "DB12/T 1073-2021 tables 14 and 15",
                "table": "DB12/T 1073-2021 " + prof["provenance"]["table"],
                "note": (
                    f"GB/T 39117-2020 weight tables were not available. Derived: absolute DB12 subdomain weights, "
                    f"without 经营管控, 融合管理 and IT运维 (together {exact(dropped)}), renormalised exactly by {exact(kept)}; "
                    "组织战略 moved under 人员. The mandatory nodes are this pack's reading (metadata.claims, mandatory-nodes). "
                    "Seed 002 (CQC, 2022, lines 967-973) prints a number beside each 生产 subdomain in a table of diagnostic "
                    "questions, without a heading that says what it is or for which profile: "
                    + ", ".join(f"{k} {v}" for k, v in seed002.items())
                    + "; they are recorded in metadata.seed002_production_figures beside the derived absolute weights."
                ),
            },
        })

    derived_abs = {}
    for prof in profiles:
        w = {k: Fraction(v) for k, v in prof["weights"].items()}
        out = {}
        for leaf in seed002:
            value = w[leaf]
            p = tree_parent[leaf]
            while p is not None:
                value *= w[p]
                p = tree_parent[p]
            out[leaf] = {"derived": exact(value), "derived_approx": f"{float(value):.4f}", "seed002": seed002[leaf]}
        derived_abs[prof["id"]] = out

    pack = {
        "format": 1,
        "id": "gbt39116",
        "version": VERSION,
        "title": T("智能制造能力成熟度模型 / 智能制造能力成熟度评估方法", "Maturity model of intelligent manufacturing capability / maturity assessment method"),
        "languages": db12["languages"],
        "report": db12["report"],
        "standard": {
            "code": "GB/T 39116-2020",
            "title": T("智能制造能力成熟度模型", "Maturity model of intelligent manufacturing capability"),
            "issuer": T("国家市场监督管理总局、国家标准化管理委员会", "SAMR and SAC"),
            "published": "2020-10-11",
            "effective": "2021-05-01",
            "related": ["GB/T 39117-2020", "DB12/T 1073-2021"],
        },
        "fidelity": {
            "status": "derived",
            "statement": T(
                "结构（4个能力要素、12个能力域、20个能力子域）与五个等级取自公开资料；国家标准的成熟度要求表和权重表无法获得。"
                "要求条文是DB12/T 1073-2021表1—表9中两者共有的20个能力子域的条文，用作国家要求的替代：没有资料表明DB12/T 1073-2021逐项重复了国家要求。"
                "DB12/T 1073-2021只把GB/T 39116列为规范性引用文件；可见的唯一一份国家要求清单（CQC 2022年演示文稿中的信息安全）有10条，DB12/T 1073-2021有25条，"
                "其中自学习、自优化安全防护一条在演示文稿中位于第四行，DB12/T 1073-2021列为五级。"
                "等级描述采用该演示文稿中的国家标准表述。权重由DB12/T 1073-2021表14、表15推导（保留共有子域的绝对权重，去掉经营管控、融合管理、IT运维后精确归一化）。"
                "评分方法（四级得分、0.8门限、0.8/1.8/2.8/3.8/4.8分数段）为二手资料；总分S的合成规则为推断。持有正式文本者可用覆盖文件（overlay）替换要求、权重和规则。",
                "The structure (4 elements, 12 domains, 20 subdomains) and the five levels come from public material; the national requirement and weight tables were not available. "
                "The requirements are DB12/T 1073-2021's texts for the 20 subdomains the two models share (tables 1-9), used as a stand-in for the national ones: no source says "
                "DB12/T 1073-2021 repeats the national requirements item by item. DB12/T 1073-2021 only cites GB/T 39116 as a normative reference, and the one national list "
                "available (信息安全, in a CQC presentation of 2022) has 10 requirements against DB12/T 1073-2021's 25, with the self-learning protection requirement in its "
                "fourth row where DB12/T 1073-2021 puts it at level 5. The level descriptions are the national wording as that presentation shows it. "
                "Weights are derived from DB12/T 1073-2021 tables 14 and 15 (each shared subdomain keeps its absolute weight; 经营管控, 融合管理 and IT运维 are dropped and the rest "
                "renormalised exactly). The scale, the 0.8 gate and the bands are second-hand; the rule that folds level scores into S is inferred. Holders of the official text "
                "can apply an overlay with the real requirements, weights and rule.",
            ),
            "sources": ["STANDARDS.md §1-2", "DB12/T 1073-2021 (seed 001)", "CQC presentation 2022 (seed 002)"],
        },
        "levels": [
            {"number": lv["number"], "name": lv["name"],
             "description": {"zh": LEVELS_SEED002[lv["number"]][2]},
             "provenance": {
                 "status": "second-hand",
                 "source": "GB/T 39116-2020 clause 5 as worded in CQC presentation 2022, 智能制造能力成熟度标准解读 (seed 002)",
                 "clause": "5",
                 "seed": SEED002,
                 "lines": [LEVELS_SEED002[lv["number"]][0], LEVELS_SEED002[lv["number"]][1]],
                 "note": "Name and description as the presentation prints them (bold marks removed); the clause number is from STANDARDS.md §1.2. "
                         "DB12/T 1073-2021 §4.2 words the levels with DB12-only additions (e.g. 「，并能够有序开展两化融合建设活动。」), which this pack leaves out.",
             }}
            for lv in db12["levels"]
        ],
        "tiers": db12["tiers"],
        "nodes": nodes,
        "requirements": requirements,
        "rubric": {
            "ratings": db12["rubric"]["ratings"],
            "na": {
                "allowed": False,
                "note": T(
                    "DB12/T 1073-2021表13未规定“不适用”；本包沿用DB12/T 1073-2021第7章的做法，不适用的能力域通过裁剪处理。",
                    "DB12/T 1073-2021 table 13 has no 'not applicable'; like DB12/T 1073-2021 clause 7, this pack handles domains that do not apply by tailoring them out.",
                ),
            },
            "provenance": {"status": "second-hand", "source": "GB/T 39117-2020 (secondary accounts); DB12/T 1073-2021 table 13", "note": "STANDARDS.md §2.2"},
        },
        "profiles": profiles,
        "method": {
            "rule": "cumulative-gated",
            "rules": ["cumulative-gated", "cumulative-gated-unit"],
            "gate": "0.8",
            "bands": [{"level": n, "min": m, "provenance": {"status": "second-hand", "source": "GB/T 39117 revision draft; DB12/T 1073-2021 table 16", "note": "STANDARDS.md §2.4"}}
                      for n, m in [(1, "0.8"), (2, "1.8"), (3, "2.8"), (4, "3.8"), (5, "4.8")]],
            "provenance": {"status": "inferred", "source": "GB/T 39117-2020 §6 (not available)", "note": "STANDARDS.md §2.5: reading A (cumulative-gated) by default, reading B (cumulative-gated-unit) selectable."},
            "no_level_name": db12["method"]["no_level_name"],
        },
        "metadata": {
            "derived_from": "db12t1073",
            "dropped_subdomains": list(DROPPED),
            "seed002_production_figures": {
                "note": (
                    "The CQC 2022 presentation (seed 002, lines 967-973) prints a number beside each 生产 subdomain in a table of "
                    "diagnostic questions, with no heading that says what the numbers are or which profile they belong to; they may be "
                    "weights, but the presentation does not say so. It spells two subdomains 安全与环保 and 仓储与配送 (this pack: 安全环保, "
                    "仓储配送). The derived absolute weights of each profile are beside them for comparison."
                ),
                "provenance": {"status": "second-hand", "source": "CQC presentation 2022 (seed 002)", "seed": SEED002, "lines": [967, 973]},
                "by_profile": derived_abs,
            },
            "claims": claims(),
        },
        "population": db12["population"],
    }

    return pack, crosswalk(leaves, requirements)


def claims() -> list[dict]:
    """Points the pack relies on that no source states, each marked."""
    return [
        {"id": "mandatory-nodes", "about": "$.profiles",
         "claim": T("人员、技术、资源三个能力要素和生产能力域不可裁剪。",
                    "The 人员, 技术 and 资源 elements and the 生产 domain cannot be tailored out."),
         "provenance": {"status": "inferred", "source": "DB12/T 1073-2021 §7; STANDARDS.md §2.3",
                        "note": "GB/T 39117-2020's tailoring rule was not available. This follows DB12/T 1073-2021 §7 (which also makes "
                                "its 管控 domain mandatory) and a recollection recorded in STANDARDS.md §2.3."}},
        {"id": "tailoring-renormalisation", "about": "$.profiles",
         "claim": T("能力域或能力子域被裁剪后，其同级剩余部分的权重按比例重新归一化（w/Σw），使之再次合计为1。",
                    "When a domain or subdomain is tailored out, the weights of its remaining siblings are renormalised exactly "
                    "(w / Σw) so that they again sum to 1."),
         "provenance": {"status": "inferred", "source": "DB12/T 1073-2021 §7, §9.2",
                        "note": "Neither GB/T 39117-2020 (not available) nor DB12/T 1073-2021 says how weights change after tailoring."}},
        {"id": "tailoring-granularity", "about": "$.profiles",
         "claim": T("强制节点以外的任一能力域或能力子域均可单独裁剪，例如只裁剪产品设计。",
                    "Any domain or subdomain outside a mandatory node may be tailored out on its own, for example 产品设计 alone."),
         "provenance": {"status": "inferred", "source": "DB12/T 1073-2021 §7",
                        "note": "DB12/T 1073-2021 §7 speaks of 能力域; whether a single 能力子域 may be tailored out alone is not said."}},
        {"id": "no-level-label", "about": "$.method.no_level_name",
         "claim": T("S低于0.8时结果为0级，名称为“未达到一级”。", "A score S below 0.8 gives level 0, named 未达到一级 (no level)."),
         "provenance": {"status": "inferred", "source": "DB12/T 1073-2021 table 16; STANDARDS.md §2.4",
                        "note": "The bands start at 一级 0.8 ≤ S < 1.8 and have no row for S below 0.8; the label is maturity-core's."}},
    ]


def crosswalk(leaves: list[str], requirements: list[dict]) -> dict:
    """
    The DB12 → GB/T 39116 crosswalk.

    The relation describes the two packs: this pack's requirements are
    DB12's texts, so each maps ``equal`` to its DB12 original and a rating
    carries unchanged.  The confidence says how far the evidence supports
    that the mapping also holds for the printed GB/T 39116-2020.
    """
    subdomain_conf = {}
    node_maps = []
    for leaf in leaves:
        if leaf in SUBDOMAINS_SEED002:
            line, spelling = SUBDOMAINS_SEED002[leaf]
            conf = "0.8"
            note = (f"national subdomain name in seed 002 line {line}"
                    + (f" (spelled {spelling})" if spelling else "")
                    + "; its requirements are DB12/T 1073-2021's stand-ins")
        else:
            conf = "0.6"
            note = "national subdomain name second-hand (STANDARDS.md §1.3), not in seed 002; its requirements are DB12/T 1073-2021's stand-ins"
        subdomain_conf[leaf] = Fraction(conf)
        node_maps.append({"source": leaf, "target": leaf, "relation": "equal", "confidence": conf, "note": note})

    def least(*subs: str) -> str:
        return exact(min(subdomain_conf[s] for s in subs))

    def domain_subs(domain: str) -> tuple[str, ...]:
        return {"design": ("product-design", "process-design"),
                "production": ("procurement", "planning-scheduling", "production-operations", "equipment-management",
                               "warehousing-distribution", "safety-environment", "energy-management"),
                "service": ("customer-service", "product-service")}.get(domain, (domain.removesuffix("-domain"),))

    for db12_domain in ("personnel-skills-domain", "data-domain", "integration-domain",
                        "information-security-domain", "equipment-domain", "network-domain",
                        "logistics-domain", "sales-domain", "design", "production", "service"):
        node_maps.append({"source": db12_domain, "target": db12_domain, "relation": "equal",
                          "confidence": least(*domain_subs(db12_domain)), "note": "no surer than its least sure subdomain"})
    node_maps += [
        {"source": "technology", "target": "technology", "relation": "equal",
         "confidence": least("data", "integration", "information-security"), "note": "no surer than its least sure subdomain"},
        {"source": "resources", "target": "resources", "relation": "equal",
         "confidence": least("equipment", "network"), "note": "no surer than its least sure subdomain"},
        {"source": "manufacturing", "target": "manufacturing", "relation": "equal",
         "confidence": least(*[s for d in ("design", "production", "service") for s in domain_subs(d)], "logistics", "sales"),
         "note": "no surer than its least sure subdomain"},
        {"source": "personnel", "target": "personnel", "relation": "subset", "confidence": least("personnel-skills"),
         "note": "the national 人员 element also holds 组织战略"},
        {"source": "control", "target": "organisational-strategy-domain", "relation": "superset",
         "confidence": least("organisational-strategy"), "note": "DB12 管控 holds 组织战略 and 经营管控"},
        {"source": "governance", "target": "organisational-strategy-domain", "relation": "superset",
         "confidence": least("organisational-strategy"),
         "note": "DB12 治理 holds 管控 and 两化融合; only 组织战略 is in the national model"},
    ]

    stand_in = "identical text in both packs (this pack uses DB12/T 1073-2021's requirement as a stand-in)"
    req_maps = []
    for r in requirements:
        if r["id"] in INFOSEC_SEED002:
            line, row = INFOSEC_SEED002[r["id"]]
            if row == r["level"]:
                conf, why = "0.8", f"seed 002 line {line} shows a national requirement with this content in row {row}"
            else:
                conf, why = "0.5", (f"seed 002 line {line} shows a national requirement with this content in row {row}, "
                                    f"not at level {r['level']}")
        elif r["node"] == "information-security":
            conf, why = "0.2", "seed 002's national 信息安全 list (lines 515-519) has no requirement with this content"
        else:
            conf, why = "0.32", "no national text to compare; 8 of DB12's 25 信息安全 requirements match seed 002's list at the same row"
        req_maps.append({"source": r["id"], "target": r["id"], "relation": "equal", "confidence": conf,
                         "note": f"{stand_in}; {why}"})

    return {
        "format": 1,
        "id": "db12t1073-gbt39116",
        "description": T("DB12/T 1073-2021 与 GB/T 39116-2020 的对应关系", "DB12/T 1073-2021 to GB/T 39116-2020"),
        "source": {"pack": "db12t1073", "major": 1},
        "target": {"pack": "gbt39116", "major": int(VERSION.split(".")[0])},
        "nodes": node_maps,
        "requirements": req_maps,
        "provenance": {
            "status": "inferred",
            "source": "DB12/T 1073-2021 §4-6 against STANDARDS.md §1.3 and seed 002 (CQC 2022) lines 515-519 and 967-981",
            "note": (
                "The relation describes the two packs: the gbt39116 requirements are DB12/T 1073-2021's texts, so each maps equal "
                "to its original and a rating carries unchanged. The confidence is how far the evidence supports that the mapping "
                "also holds for the printed GB/T 39116-2020, which was not available, and no source says DB12/T 1073-2021 repeats it "
                "item by item. The only national requirements seen are seed 002's 10 信息安全 requirements in four rows, against "
                "DB12/T 1073-2021's 25: 8 DB12 requirements match one at the same row (confidence 0.8), the self-learning protection "
                "requirement matches one in the fourth row while DB12 puts it at level 5 (0.5), and 16 have no counterpart (0.2). "
                "Requirements of the other subdomains cannot be compared; they get the 信息安全 same-row rate, 8/25 = 0.32. "
                "Subdomains: 0.8 where seed 002 (lines 967-981) names the national subdomain, 0.6 where the name is only second-hand; "
                "domains and elements: their least sure subdomain. The 20 shared subdomains map one to one; 经营管控, 融合管理 and "
                "IT运维 have no national counterpart."
            ),
        },
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR,
                        help="folder for pack.json and crosswalks/ (default: the pack's package folder)")
    args = parser.parse_args(argv)
    pack, walk = build(json.loads(DB12.read_text("utf-8")))
    out = args.out_dir / "pack.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(pack, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"wrote {out}: {len(pack['requirements'])} requirements")
    cw = args.out_dir / "crosswalks" / "db12t1073-gbt39116.json"
    cw.parent.mkdir(exist_ok=True)
    cw.write_text(json.dumps(walk, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"wrote {cw}")


if __name__ == "__main__":
    main()
