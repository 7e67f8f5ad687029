"""Regenerate the example assessments in examples/ (fictional companies).

The ratings are drawn from a seeded random generator with a shape typical
of a level-2 manufacturer; they describe no real organisation.

    python tools/make_examples.py
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import maturity_core as mc


# Probability of each rating by level, for a company around level 2.
SHAPE = {
    1: [("full", 0.75), ("most", 0.2), ("partial", 0.05)],
    2: [("full", 0.45), ("most", 0.35), ("partial", 0.15), ("none", 0.05)],
    3: [("full", 0.1), ("most", 0.3), ("partial", 0.4), ("none", 0.2)],
    4: [("most", 0.05), ("partial", 0.25), ("none", 0.7)],
    5: [("partial", 0.05), ("none", 0.95)],
}

EXAMPLES = [
    {
        "file": "db12t1073-discrete.json",
        "profile": "discrete",
        "seed": 1073,
        "metadata": {
            "organisation": "示例精密机械有限公司 (fictional example)",
            "date": "2026-10-15",
            "mode": "external",
            "assessors": [
                {"name": "Assessor A", "role": "lead"},
                {"name": "Assessor B", "role": "member"},
                {"name": "Assessor C", "role": "member"},
            ],
            "report_number": "EX-2026-0042",
            "assessing_body": "示例评估中心 (fictional example)",
            "scope": "总部及一号工厂的设计、生产、物流、销售与服务",
            "start_date": "2026-10-12",
            "end_date": "2026-10-14",
            "interviews": [
                {
                    "node": "information-security",
                    "time": "2026-10-13 09:00-10:30",
                    "departments": ["信息中心", "设备部"],
                    "interviewees": ["信息中心主任", "网络管理员"],
                    "assessors": ["Assessor A", "Assessor B"],
                },
                {
                    "node": "production-operations",
                    "time": "2026-10-13 14:00-15:30",
                    "departments": ["生产部", "质量部"],
                    "interviewees": ["生产部经理", "质量工程师"],
                    "assessors": ["Assessor A", "Assessor C"],
                },
            ],
        },
        "tailoring": [],
        "evidence": {
            "information-security.security-management.l1": (
                [
                    {
                        "description": "信息安全管理制度（2025 版）",
                        "method": "document-review",
                        "date": "2026-10-12",
                    },
                    {
                        "description": "信息安全协调小组任命文件",
                        "method": "document-review",
                    },
                ],
                None,
            ),
            "information-security.security-configuration.l2": (
                [
                    {
                        "description": "抽查 3 台工业主机的补丁记录",
                        "method": "observation",
                        "date": "2026-10-13",
                        "owner": "Assessor B",
                    }
                ],
                "补丁未全覆盖",
            ),
            "information-security.intrusion-protection.l3": (
                [
                    {
                        "description": "工控网络边界拓扑与防火墙配置",
                        "method": "interview",
                        "date": "2026-10-13",
                    }
                ],
                "工控网未隔离",
            ),
        },
    },
    {
        "file": "db12t1073-process.json",
        "profile": "process",
        "seed": 2021,
        "metadata": {
            "organisation": "示例化工有限公司 (fictional example)",
            "date": "2026-11-02",
            "mode": "self",
            "assessors": [{"name": "Self-assessment team"}],
        },
        "tailoring": [
            {
                "node": "service",
                "reason": "产品直接交付下游企业，无独立客户服务业务",
            }
        ],
    },
]


def main() -> None:
    pack = mc.load_pack("db12t1073")
    out = Path(__file__).resolve().parents[1] / "examples"
    for ex in EXAMPLES:
        rng = random.Random(ex["seed"])
        data = mc.blank_assessment(pack, ex["profile"])
        data["metadata"] = ex["metadata"]
        data["tailoring"] = ex["tailoring"]
        for entry in data["ratings"]:
            options, weights = zip(*SHAPE[entry["level"]], strict=True)
            entry["rating"] = rng.choices(options, weights)[0]
            evidence, note = ex.get("evidence", {}).get(entry["id"], (None, None))
            entry["evidence"] = evidence
            entry["note"] = note
        (out / ex["file"]).write_text(
            json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8"
        )


if __name__ == "__main__":
    main()
