"""
The report's own words: a message catalogue per language.

Names of levels, ratings, tiers and nodes, and the report's title come
from the pack; every other word of a report comes from here.  A language
the catalogue lacks takes its words from English.  Placeholders are
``str.format`` fields; every language of a key has the same fields (a
test checks).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType


#: The languages of the catalogue; the first is the fallback.
LANGS = ("en", "zh")

_EN: dict[str, str] = {
    # Sections
    "title": "Diagnostic report",
    "cover": "Cover",
    "conclusion": "Conclusion",
    "ladder": "Maturity ladder",
    "heatmap": "{tier} scores by level",
    "radar": "{tier} scores by level (radar)",
    "population_radar": "Population mean of {tier} scores by level",
    "strengths": "Strengths",
    "weaknesses": "Weaknesses",
    "nodes": "{tier} diagnosis",
    "roadmap": "Improvement roadmap",
    "appendix": "Appendix: ratings, evidence and notes",
    "dimensions": "Dimension scores",
    # Cover
    "report_number": "Report number",
    "assessing_body": "Assessing body",
    "organisation": "Assessed organisation",
    "scope": "Scope",
    "profile": "Profile",
    "standard": "Model",
    "pack_hash": "Model content hash",
    "date": "Report date",
    "period": "Assessment period",
    "period_value": "{start} to {end}",
    "team": "Assessment team",
    "mode": "Assessment mode",
    "mode.self": "Self-assessment",
    "mode.external": "External assessment",
    "role.lead": "lead assessor",
    "role.member": "assessor",
    "rule": "Level rule",
    "rule.cumulative-gated": "Level scores add up from level 1 until "
    "the first level below the gate of {gate}",
    "rule.cumulative-gated-unit": "Each level that meets the gate of "
    "{gate} counts as 1, the first level below it at its score",
    "rule.additive": "The level scores add up",
    "rule.other": "{rule}",
    "score": "Overall score S",
    "level": "Level reached",
    "unnamed": "The assessed organisation",
    # Conclusion
    "conclusion.level": "{org} reaches {level}, with an overall score "
    "S of {score}.",
    "conclusion.no_level": "{org} scores S = {score}: {level}.",
    "conclusion.no_bands": "{org} scores S = {score}.",
    "conclusion.gate": "{level} scores {x}, {short} below the gate of "
    "{gate}, so the levels above it do not count.",
    "conclusion.next": "{next} needs an overall score of {need}; S is "
    "{short} short of it.",
    "conclusion.top": "This is the top level of the model.",
    "conclusion.weakest": "The weakest areas ({tier}) are {names}.",
    "conclusion.weak_item": "{name} ({x} at {level})",
    # Ladder
    "ladder.intro": "Where the organisation stands on the model's levels, "
    "from the top level down.",
    "ladder.here": "current level",
    "ladder.target": "target",
    "ladder.score": "Score X",
    "ladder.gate": "Gate {gate}",
    "pass": "met",
    "fail": "not met",
    "no_description": "The model gives no description of this level.",
    # Charts
    "heatmap.intro": "Each cell is a score from 0 to 1; colours run from "
    "red (0) to green (1).",
    "radar.gate": "gate {gate}",
    # Strengths and weaknesses
    "strengths.intro": "The areas ({tier}) at or above the overall level, "
    "with the requirements they fully meet at their highest levels.",
    "strengths.none": "No area ({tier}) reaches the overall level yet.",
    "strength.head": "{name}: {level}",
    "weaknesses.intro": "The lowest-scoring areas ({tier}) at the next "
    "level, with their largest gaps.",
    "weaknesses.none": "No area ({tier}) has a score at the next level.",
    "weakness.head": "{name}: {x} at {level}",
    "fully_met": "Fully met requirements",
    "largest_gaps": "Largest gaps",
    "more": "and {n} more",
    # Per node
    "current": "Current state",
    "gap": "Gap analysis",
    "predicted": "Predicted level",
    "interviews": "Interviews",
    "state.level": "{name} is at {level}, with a total of {total}.",
    "state.zero": "{name} does not yet reach {level}; its total is {total}.",
    "state.total": "{name} has a total of {total}.",
    "state.at": "{level}: {parts}.",
    "state.above": "From {level} up, {met} of {count} requirements are "
    "fully met.",
    "state.fully": "{items} fully met",
    "state.partly": "{items} partly met",
    "state.not": "{items} not met",
    "state.unrated": "{items} not rated",
    "state.na": "{items} not applicable",
    "state.count": "{n} requirements",
    "state.count.one": "{n} requirement",
    "no_gap": "Every requirement up to the target level is fully met.",
    "predicted.rise": "Expected to reach {to}: the roadmap raises {n} "
    "requirements here, lifting the {level} score from {a} to {b}.",
    "predicted.stay": "Expected to stay at {to}: the roadmap raises {n} "
    "requirements here, lifting the {level} score from {a} to {b}, not "
    "yet enough for a higher level.",
    "predicted.rise.one": "Expected to reach {to}: the roadmap raises "
    "{n} requirement here, lifting the {level} score from {a} to {b}.",
    "predicted.stay.one": "Expected to stay at {to}: the roadmap raises "
    "{n} requirement here, lifting the {level} score from {a} to {b}, not "
    "yet enough for a higher level.",
    "predicted.none": "Expected to stay at {to}: the roadmap has no step "
    "here.",
    "interview.time": "Time",
    "interview.departments": "Departments interviewed",
    "interview.interviewees": "People interviewed",
    "interview.assessors": "Assessors",
    # Roadmap
    "roadmap.intro": "To reach {target}, carry out these {n} improvements "
    "in the order given; S is expected to rise from {a} to {b}, reaching "
    "{level}.",
    "roadmap.intro.one": "To reach {target}, carry out this {n} "
    "improvement; S is expected to rise from {a} to {b}, reaching {level}.",
    "roadmap.effort": "Total effort: {effort}.",
    "roadmap.reached": "{target} is reached already; no improvement is "
    "needed to reach it.",
    "roadmap.unreachable": "{target} cannot be reached even with every "
    "requirement fully met.",
    "roadmap.not_monotone": "The level rule does not state that the "
    "score never falls as a level score rises, so no roadmap is computed.",
    "roadmap.no_levels": "The model has no levels, so there is no roadmap.",
    "step": "Step",
    "requirement": "Requirement",
    "rating": "Rating",
    "change": "Rating change",
    "effort": "Effort",
    "at_level": "Level",
    "unrated": "not rated",
    # Appendix
    "evidence": "Evidence",
    "note": "Note",
    "assessor": "Assessor",
    "tailoring": "Tailored out",
    "notes": "Notes",
    "method.document-review": "document review",
    "method.interview": "interview",
    "method.observation": "observation",
    "method.site-tour": "site tour",
    "method.system-demonstration": "system demonstration",
    "method.data-collection": "data collection",
    "method.drill": "drill",
    "method.other": "other",
    # Lists and the footer
    "list.sep": ", ",
    "list.last": " and ",
    "colon": ": ",
    "sentence.sep": " ",
    "parts.sep": "; ",
    "paren": " ({text})",
    "disclaimer": "Generated by maturity-core from the assessment data; "
    "scores are exact, decimals are truncated.",
}

_ZH: dict[str, str] = {
    "title": "诊断报告",
    "cover": "封面",
    "conclusion": "评估结论",
    "ladder": "成熟度等级阶梯",
    "heatmap": "各等级{tier}得分热力图",
    "radar": "各等级{tier}得分图",
    "population_radar": "各等级{tier}平均得分",
    "strengths": "评估强项",
    "weaknesses": "主要不足",
    "nodes": "{tier}诊断分析",
    "roadmap": "改进提升建议",
    "appendix": "附录：评分、证据与备注",
    "dimensions": "维度得分",
    "report_number": "报告编号",
    "assessing_body": "评定机构",
    "organisation": "受评估方",
    "scope": "评估范围",
    "profile": "评估域",
    "standard": "评估模型",
    "pack_hash": "模型内容哈希",
    "date": "报告日期",
    "period": "评估时间",
    "period_value": "{start} 至 {end}",
    "team": "评估组",
    "mode": "评估方式",
    "mode.self": "自评估",
    "mode.external": "外部评估",
    "role.lead": "组长",
    "role.member": "组员",
    "rule": "等级判定规则",
    "rule.cumulative-gated": "自一级起逐级累加各等级得分，至首个低于门限 "
    "{gate} 的等级为止",
    "rule.cumulative-gated-unit": "达到门限 {gate} 的等级各计 1 分，首个低于"
    "门限的等级按其得分计",
    "rule.additive": "各等级得分相加",
    "rule.other": "{rule}",
    "score": "总分 S",
    "level": "成熟度等级",
    "unnamed": "受评估方",
    "conclusion.level": "{org}达到{level}，总分 S = {score}。",
    "conclusion.no_level": "{org}总分 S = {score}，{level}。",
    "conclusion.no_bands": "{org}总分 S = {score}。",
    "conclusion.gate": "{level}得分 {x}，低于门限 {gate}（差 {short}），"
    "更高等级的得分因此不再计入。",
    "conclusion.next": "达到{next}需要总分 {need}，目前还差 {short}。",
    "conclusion.top": "这是模型的最高等级。",
    "conclusion.weakest": "最薄弱的{tier}是{names}。",
    "conclusion.weak_item": "{name}（{level}得分 {x}）",
    "ladder.intro": "受评估方在模型各等级中所处的位置，自最高等级向下排列。",
    "ladder.here": "当前等级",
    "ladder.target": "改进目标",
    "ladder.score": "得分 X",
    "ladder.gate": "门限 {gate}",
    "pass": "达到",
    "fail": "未达到",
    "no_description": "模型未给出该等级的说明。",
    "heatmap.intro": "每格为 0 至 1 的得分；颜色由红（0）渐变至绿（1）。",
    "radar.gate": "门限 {gate}",
    "strengths.intro": "达到或高于整体等级的{tier}，及其在最高等级全部满足的"
    "要求。",
    "strengths.none": "尚无{tier}达到整体等级。",
    "strength.head": "{name}：{level}",
    "weaknesses.intro": "下一等级得分最低的{tier}，及其差距最大的要求。",
    "weaknesses.none": "没有{tier}在下一等级有得分。",
    "weakness.head": "{name}：{level}得分 {x}",
    "fully_met": "全部满足的要求",
    "largest_gaps": "主要差距",
    "more": "另有 {n} 项",
    "current": "现状描述",
    "gap": "差距分析",
    "predicted": "成熟度预计",
    "interviews": "访谈记录",
    "state.level": "{name}目前处于{level}，总分 {total}。",
    "state.zero": "{name}尚未达到{level}，总分 {total}。",
    "state.total": "{name}总分 {total}。",
    "state.at": "{level}：{parts}。",
    "state.above": "{level}及以上的 {count} 项要求中，{met} 项已全部满足。",
    "state.fully": "{items}全部满足",
    "state.partly": "{items}部分满足",
    "state.not": "{items}不满足",
    "state.unrated": "{items}未评分",
    "state.na": "{items}不适用",
    "state.count": "{n} 项要求",
    "no_gap": "目标等级及以下的要求已全部满足。",
    "predicted.rise": "预计达到{to}：改进路线在此安排 {n} 项提升，{level}"
    "得分由 {a} 升至 {b}。",
    "predicted.stay": "预计保持{to}：改进路线在此安排 {n} 项提升，{level}"
    "得分由 {a} 升至 {b}，尚不足以达到更高等级。",
    "predicted.none": "预计保持{to}：改进路线未涉及此项。",
    "interview.time": "诊断时间",
    "interview.departments": "受访部门",
    "interview.interviewees": "受访人员",
    "interview.assessors": "诊断人员",
    "roadmap.intro": "为达到{target}，建议按以下顺序完成 {n} 项提升，预计"
    "总分 S 由 {a} 升至 {b}，达到{level}。",
    "roadmap.effort": "总工作量 {effort}。",
    "roadmap.reached": "已达到{target}，无需提升即可达到。",
    "roadmap.unreachable": "即使全部要求均全部满足，也无法达到{target}。",
    "roadmap.not_monotone": "该等级判定规则未声明总分随等级得分单调不减，"
    "因此不计算改进路线。",
    "roadmap.no_levels": "该模型没有等级划分，因此不给出改进路线。",
    "step": "步骤",
    "requirement": "要求",
    "rating": "评分",
    "change": "评分变化",
    "effort": "工作量",
    "at_level": "等级",
    "unrated": "未评分",
    "evidence": "证据",
    "note": "备注",
    "assessor": "评估人",
    "tailoring": "裁剪",
    "notes": "说明",
    "method.document-review": "文件审查",
    "method.interview": "访谈",
    "method.observation": "现场观察",
    "method.site-tour": "现场巡视",
    "method.system-demonstration": "系统演示",
    "method.data-collection": "数据采集",
    "method.drill": "演练",
    "method.other": "其他",
    "list.sep": "、",
    "list.last": "和",
    "colon": "：",
    "sentence.sep": "",
    "parts.sep": "；",
    "paren": "（{text}）",
    "disclaimer": "本报告由 maturity-core 根据评估数据精确计算生成；分数为"
    "精确分数，小数为截断显示。",
}

#: Language → key → text.
CATALOGUE: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {"en": MappingProxyType(_EN), "zh": MappingProxyType(_ZH)}
)


def catalogue_language(lang: str) -> str:
    """The catalogue language for *lang*: its primary subtag or English."""
    primary = lang.split("-", maxsplit=1)[0].lower()
    return primary if primary in CATALOGUE else LANGS[0]


def message(key: str, lang: str, **fields: object) -> str:
    """
    The catalogue's text for *key* in *lang* (English where the catalogue
    lacks the language), with *fields* filled in; where *n* is 1 and the
    language has a ``key.one`` form, that one.

    Raises:
        KeyError: If the catalogue has no such key.
    """
    words = CATALOGUE[catalogue_language(lang)]
    if fields.get("n") == 1 and f"{key}.one" in words:
        # A language with a singular form names it ``key.one``.
        key = f"{key}.one"
    text = words.get(key)
    if text is None:
        text = CATALOGUE[LANGS[0]][key]
    return text.format(**fields) if fields else text


def join(items: Iterable[str], lang: str) -> str:
    """*items* as one phrase: ``a, b and c`` (``a、b和c``)."""
    words = list(items)
    if len(words) < 2:
        return "".join(words)
    sep = message("list.sep", lang)
    return sep.join(words[:-1]) + message("list.last", lang) + words[-1]
