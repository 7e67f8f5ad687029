"""Derive the GB/T 39116-2020 pack from the DB12/T 1073-2021 pack.

The national requirement and weight tables were not available (STANDARDS.md
§1.4, §2.3).  DB12/T 1073 restates the national requirements item by item
for the 20 subdomains the two models share, so the requirement catalogue
is taken from DB12 tables 1-9; the weights keep each shared subdomain's
DB12 absolute weight (tables 14 and 15), drop the DB12-only subdomains
(经营管控, 融合管理, IT运维) and renormalise exactly.

    python tools/build_gbt39116.py
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]
DB12 = ROOT / "packs/db12t1073/src/maturity_pack_db12t1073/pack.json"
OUT = ROOT / "packs/gbt39116/src/maturity_pack_gbt39116/pack.json"
DROPPED = ("business-control", "fusion-management", "it-operations")


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


def main() -> None:
    db12 = json.loads(DB12.read_text("utf-8"))
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
        requirements.append({
            **{k: r[k] for k in ("id", "node", "level", "item", "text")},
            "provenance": {
                "status": "derived",
                "source": "DB12/T 1073-2021 (restates GB/T 39116-2020)",
                "clause": prov["clause"],
                "table": f"DB12/T 1073-2021 {prov['table']}",
                "seed": prov["seed"],
                "lines": prov["lines"],
                "note": "GB/T 39116-2020 clause 7 tables were not available; the requirement is DB12/T 1073-2021's restatement of the national requirement.",
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
        profiles.append({
            "id": prof["id"],
            "name": prof["name"],
            **({"default": True} if prof.get("default") else {}),
            "description": T(
                prof["description"]["zh"].replace("表", "DB12/T 1073-2021 表"),
                f"Derived from DB12/T 1073-2021 ({prof['description']['en']}); each shared subdomain keeps its DB12 absolute weight, the DB12-only subdomains are dropped and the rest renormalised by {exact(kept)}.",
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
                    "组织战略 moved under 人员. Mandatory nodes (人员, 技术, 资源 elements; 生产 domain) are inferred from DB12 clause 7 and STANDARDS.md §2.3. "
                    "Seed 002 (CQC, 2022) prints national absolute weights for the 生产 subdomains, profile not stated: "
                    + ", ".join(f"{k} {v}" for k, v in seed002.items())
                    + "; they are recorded in the pack metadata beside the derived weights."
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
        "version": "0.1.0",
        "title": T("智能制造能力成熟度模型 / 智能制造能力成熟度评估方法", "Maturity model of intelligent manufacturing capability / maturity assessment method"),
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
                "结构（4个能力要素、12个能力域、20个能力子域）与五个等级取自公开资料；国家标准的成熟度要求表和权重表无法获得，要求条文取自DB12/T 1073-2021对国家要求的逐项转述，权重由DB12/T 1073-2021表14、表15推导（保留共有子域的绝对权重，去掉经营管控、融合管理、IT运维后精确归一化）。评分方法（表13同型的四级得分、0.8门限、0.8/1.8/2.8/3.8/4.8分数段）为二手资料；总分S的合成规则为推断。持有正式文本者可用覆盖文件（overlay）替换要求、权重和规则。",
                "The structure (4 elements, 12 domains, 20 subdomains) and the five levels come from public material; the national requirement and weight tables were not available. Requirements are DB12/T 1073-2021's item-by-item restatement of the national requirements; weights are derived from DB12/T 1073-2021 tables 14 and 15 (each shared subdomain keeps its absolute weight; 经营管控, 融合管理 and IT运维 are dropped and the rest renormalised exactly). The scale, the 0.8 gate and the bands are second-hand; the rule that folds level scores into S is inferred. Holders of the official text can apply an overlay with the real requirements, weights and rule.",
            ),
            "sources": ["STANDARDS.md §1-2", "DB12/T 1073-2021 (seed 001)", "CQC presentation 2022 (seed 002)"],
        },
        "levels": [
            {"number": lv["number"], "name": lv["name"], "description": lv["description"],
             "provenance": {"status": "second-hand", "source": "GB/T 39116-2020 clause 5 (secondary accounts; DB12/T 1073-2021 §4.2 restates it)", "clause": "5"}}
            for lv in db12["levels"]
        ],
        "nodes": nodes,
        "requirements": requirements,
        "rubric": {**db12["rubric"], "provenance": {"status": "second-hand", "source": "GB/T 39117-2020 (secondary accounts); DB12/T 1073-2021 table 13", "note": "STANDARDS.md §2.2"}},
        "profiles": profiles,
        "method": {
            "rule": "cumulative-gated",
            "rules": ["cumulative-gated", "cumulative-gated-unit"],
            "gate": "0.8",
            "bands": [{"level": n, "min": m, "provenance": {"status": "second-hand", "source": "GB/T 39117 revision draft; DB12/T 1073-2021 table 16", "note": "STANDARDS.md §2.4"}}
                      for n, m in [(1, "0.8"), (2, "1.8"), (3, "2.8"), (4, "3.8"), (5, "4.8")]],
            "provenance": {"status": "inferred", "source": "GB/T 39117-2020 §6 (not available)", "note": "STANDARDS.md §2.5: reading A (cumulative-gated) by default, reading B (cumulative-gated-unit) selectable."},
        },
        "metadata": {
            "derived_from": "db12t1073",
            "dropped_subdomains": list(DROPPED),
            "seed002_national_weights": {
                "note": "CQC 2022 presentation (seed 002) prints these absolute weights for the 生产 subdomains without naming the profile; the derived absolute weights of each profile are beside them for comparison.",
                "by_profile": derived_abs,
            },
        },
    }
    OUT.write_text(json.dumps(pack, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"wrote {OUT}: {len(requirements)} requirements")

    equal_note = (
        "DB12/T 1073-2021 restates the national requirement item by item "
        "(seed 002's 信息安全 list corresponds); not checked against the "
        "printed GB/T 39116-2020."
    )
    node_maps = [
        {"source": leaf, "target": leaf, "relation": "equal", "confidence": "1"}
        for leaf in leaves
    ]
    for db12_domain in ("personnel-skills-domain", "data-domain", "integration-domain",
                        "information-security-domain", "equipment-domain", "network-domain",
                        "logistics-domain", "sales-domain", "design", "production", "service"):
        node_maps.append({"source": db12_domain, "target": db12_domain, "relation": "equal", "confidence": "1"})
    node_maps += [
        {"source": "technology", "target": "technology", "relation": "equal", "confidence": "1"},
        {"source": "resources", "target": "resources", "relation": "equal", "confidence": "1"},
        {"source": "manufacturing", "target": "manufacturing", "relation": "equal", "confidence": "1"},
        {"source": "personnel", "target": "personnel", "relation": "subset", "confidence": "1",
         "note": "the national 人员 element also holds 组织战略"},
        {"source": "control", "target": "organisational-strategy-domain", "relation": "superset", "confidence": "1",
         "note": "DB12 管控 holds 组织战略 and 经营管控"},
        {"source": "governance", "target": "organisational-strategy-domain", "relation": "superset", "confidence": "1",
         "note": "DB12 治理 holds 管控 and 两化融合; only 组织战略 is in the national model"},
    ]
    crosswalk = {
        "format": 1,
        "id": "db12t1073-gbt39116",
        "description": T("DB12/T 1073-2021 与 GB/T 39116-2020 的对应关系", "DB12/T 1073-2021 to GB/T 39116-2020"),
        "source": {"pack": "db12t1073", "major": 1},
        "target": {"pack": "gbt39116", "major": 0},
        "nodes": node_maps,
        "requirements": [
            {"source": r["id"], "target": r["id"], "relation": "equal", "confidence": "0.9", "note": equal_note}
            for r in requirements
        ],
        "provenance": {
            "status": "derived",
            "source": "DB12/T 1073-2021 §4-6 against STANDARDS.md §1.3",
            "note": "The 20 shared subdomains map one to one; 经营管控, 融合管理 and IT运维 have no national counterpart.",
        },
    }
    cw = OUT.parent / "crosswalks" / "db12t1073-gbt39116.json"
    cw.parent.mkdir(exist_ok=True)
    cw.write_text(json.dumps(crosswalk, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"wrote {cw}")


if __name__ == "__main__":
    main()
